// Label decoding, flags and selectors; see labels.hpp.
#include "agent/docker/labels.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "shared/strings.hpp"

namespace constellation::docker {

Result<Labels> parse_labels(const nlohmann::json& value) {
  Labels labels;
  if (value.is_null()) return labels;
  if (!value.is_object()) {
    return fail(ErrorCode::invalid_argument,
                std::string("Docker Labels must be an object, got ") + value.type_name());
  }
  for (const auto& [key, v] : value.items()) {
    if (v.is_string()) labels.emplace(key, v.get<std::string>());
  }
  return labels;
}

Result<bool> label_flag(const Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  if (it == labels.end()) return false;
  std::string v(trim(it->second));
  std::ranges::transform(v, v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  return fail(ErrorCode::invalid_argument, "label " + std::string(key) + "=\"" + it->second +
                                               "\" is not a boolean (use true or false)");
}

std::string LabelSelector::str() const {
  return value ? key + "=" + *value : key;
}

bool LabelSelector::matches(const Labels& labels) const {
  auto it = labels.find(key);
  return it != labels.end() && (!value || it->second == *value);
}

Result<LabelSelector> parse_label_selector(std::string_view text) {
  auto eq = text.find('=');
  LabelSelector s;
  s.key = std::string(text.substr(0, eq));
  if (eq != std::string_view::npos) s.value = std::string(text.substr(eq + 1));
  bool bad_key = s.key.empty() || std::ranges::any_of(s.key, [](unsigned char c) {
                   return std::isspace(c) != 0 || std::iscntrl(c) != 0;
                 });
  if (bad_key) {
    return fail(ErrorCode::invalid_argument,
                "invalid label selector \"" + std::string(text) +
                    "\": want key or key=value with a non-empty key without spaces");
  }
  return s;
}

}  // namespace constellation::docker
