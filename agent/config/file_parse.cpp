// Config file syntax: YAML through yaml-cpp, JSON through nlohmann::json, both reduced to
// FileEntry lists. The parsers' exceptions are caught here and never leave this file.
#include "agent/config/file_parse.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "shared/strings.hpp"

namespace constellation::config::detail {
namespace {

constexpr std::size_t kMaxFileBytes = 1 << 20;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// "PATH: line N", the same spelling as where() so file errors read alike.
std::string at(const std::string& path, int line) {
  return line > 0 ? path + ": line " + std::to_string(line) : path;
}

Result<RawValue> yaml_value(const std::string& path, const std::string& key, const YAML::Node& n) {
  int line = n.Mark().line + 1;
  auto shape_error = [&](std::string_view what) {
    return fail(ErrorCode::bad_config, at(path, line) + ": key '" + key + "': expected a value, " +
                                           "got " + std::string(what));
  };
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return RawValue(std::string());
    case YAML::NodeType::Scalar:
      return RawValue(n.Scalar());
    case YAML::NodeType::Map:
      return shape_error("a mapping");
    case YAML::NodeType::Sequence: {
      std::vector<std::string> items;
      for (const auto& item : n) {
        if (!item.IsScalar()) return shape_error("a list containing a nested list or mapping");
        items.push_back(item.Scalar());
      }
      return RawValue(std::move(items));
    }
  }
  return shape_error("an unknown YAML node");
}

Result<std::vector<FileEntry>> parse_yaml(const std::string& path, std::string_view text) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (root.IsNull()) return std::vector<FileEntry>{};
    if (!root.IsMap())
      return fail(ErrorCode::bad_config,
                  at(path, root.Mark().line + 1) + ": expected a mapping of option keys to values");
    std::vector<FileEntry> entries;
    std::set<std::string> seen;
    for (const auto& pair : root) {
      int line = pair.first.Mark().line + 1;
      if (!pair.first.IsScalar())
        return fail(ErrorCode::bad_config, at(path, line) + ": keys must be plain words");
      std::string key = pair.first.Scalar();
      if (!seen.insert(key).second)
        return fail(ErrorCode::bad_config, at(path, line) + ": duplicate key '" + key + "'");
      auto value = yaml_value(path, key, pair.second);
      if (!value) return std::unexpected(value.error());
      entries.push_back({key, std::move(*value), line});
    }
    return entries;
  } catch (const YAML::Exception& e) {
    return fail(ErrorCode::bad_config, at(path, e.mark.line + 1) + ": YAML syntax error: " + e.msg);
  }
}

std::string json_scalar(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();  // numbers and booleans as written
}

Result<RawValue> json_value(const std::string& path, const std::string& key,
                            const nlohmann::json& value) {
  auto shape_error = [&](std::string_view what) {
    return fail(ErrorCode::bad_config,
                path + ": key '" + key + "': expected a value, got " + std::string(what));
  };
  if (value.is_object()) return shape_error("an object");
  if (!value.is_array()) return RawValue(json_scalar(value));
  std::vector<std::string> items;
  for (const auto& item : value) {
    if (item.is_structured()) return shape_error("an array containing an array or object");
    items.push_back(json_scalar(item));
  }
  return RawValue(std::move(items));
}

Result<std::vector<FileEntry>> parse_json(const std::string& path, std::string_view text) {
  std::set<std::string> seen;
  std::string duplicate;
  // The callback sees every top-level key, so a duplicate (which nlohmann would silently
  // overwrite) is reported instead.
  auto watch_keys = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (depth == 1 && event == nlohmann::json::parse_event_t::key && parsed.is_string() &&
        !seen.insert(parsed.get<std::string>()).second && duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text, watch_keys);
  } catch (const nlohmann::json::parse_error& e) {
    std::size_t end = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + end, '\n'));
    std::string message = e.what();
    if (auto colon = message.find(": "); colon != std::string::npos)
      message = message.substr(colon + 2);  // drop "[json.exception...] parse error at ..."
    return fail(ErrorCode::bad_config, at(path, line) + ": JSON syntax error: " + message);
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::bad_config, path + ": JSON error: " + e.what());
  }
  if (!root.is_object())
    return fail(ErrorCode::bad_config, path + ": expected an object of option keys to values");
  if (!duplicate.empty())
    return fail(ErrorCode::bad_config, path + ": duplicate key '" + duplicate + "'");
  std::vector<FileEntry> entries;
  for (const auto& [key, value] : root.items()) {
    auto raw = json_value(path, key, value);
    if (!raw) return std::unexpected(raw.error());
    entries.push_back({key, std::move(*raw), 0});
  }
  return entries;
}

}  // namespace

FileFormat detect_format(const std::string& path, std::string_view text) {
  if (ends_with(path, ".json")) return FileFormat::json;
  if (ends_with(path, ".yaml") || ends_with(path, ".yml")) return FileFormat::yaml;
  std::string_view body = trim(text);
  return !body.empty() && body.front() == '{' ? FileFormat::json : FileFormat::yaml;
}

Result<std::vector<FileEntry>> parse_config_text(const std::string& path, std::string_view text) {
  if (trim(text).empty()) return std::vector<FileEntry>{};
  return detect_format(path, text) == FileFormat::json ? parse_json(path, text)
                                                       : parse_yaml(path, text);
}

Result<std::vector<FileEntry>> read_config_file(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return fail(ErrorCode::not_found, "config file " + path + " not found");
    return fail(ErrorCode::bad_config,
                "cannot read config file " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(info.st_mode))
    return fail(ErrorCode::bad_config, "config file " + path + " is not a regular file");
  if (static_cast<std::size_t>(info.st_size) > kMaxFileBytes)
    return fail(ErrorCode::bad_config, "config file " + path + " is larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(ErrorCode::bad_config,
                "cannot read config file " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config_text(path, text.str());
}

}  // namespace constellation::config::detail
