// Private to agent/config: turns a config file (YAML or JSON) into a flat list of
// key/value entries with line numbers, without knowing the option table, so syntax and
// shape errors are reported the same way for both formats. Stateless; yaml-cpp and
// nlohmann exceptions are caught inside and returned as bad_config errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/config/option_rows.hpp"

namespace constellation::config::detail {

/// One top-level key of the file.
struct FileEntry {
  std::string key;
  RawValue value;  ///< scalar text (numbers and booleans as written) or a list of scalars
  int line = 0;    ///< 1-based line of the key (YAML); 0 for JSON
};

enum class FileFormat { yaml, json };

/// .yaml/.yml -> YAML, .json -> JSON; otherwise JSON if the first non-space character is '{'.
FileFormat detect_format(const std::string& path, std::string_view text);

/// Parses file text. Errors are bad_config: "PATH: line N: ... syntax error", a top level that is
/// not a mapping, a duplicate key, or a nested mapping as a value. Empty text has no entries.
Result<std::vector<FileEntry>> parse_config_text(const std::string& path, std::string_view text);

/// Reads and parses PATH. A file that does not exist is not_found; other read failures and
/// files over 1 MiB are bad_config naming the path.
Result<std::vector<FileEntry>> read_config_file(const std::string& path);

}  // namespace constellation::config::detail
