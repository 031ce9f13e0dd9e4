// Label handling: decoding the engine's Labels objects leniently, reading boolean labels
// strictly (a malformed value is reported, not guessed) and parsing "key=value" selectors
// used in engine filters. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "agent/docker/types.hpp"
#include "shared/error.hpp"

namespace constellation::docker {

/// Decodes a Labels value: null or absent -> empty; an object -> its string members
/// (non-string members are skipped: the engine never sends them, a proxy might); anything
/// else is invalid_argument.
Result<Labels> parse_labels(const nlohmann::json& value);

/// A boolean label: absent -> false; true/1/yes/on and false/0/no/off (any case) as such;
/// any other value is invalid_argument naming the key and the value.
Result<bool> label_flag(const Labels& labels, std::string_view key);

/// A label filter term: "key" (presence) or "key=value".
struct LabelSelector {
  std::string key;
  std::optional<std::string> value;

  /// Back to the engine's filter form ("key" or "key=value").
  std::string str() const;
  /// Whether a label set satisfies this selector.
  bool matches(const Labels& labels) const;
};

/// Parses "key" or "key=value"; the key must be non-empty and free of whitespace.
Result<LabelSelector> parse_label_selector(std::string_view text);

}  // namespace constellation::docker
