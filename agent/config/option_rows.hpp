// Private to agent/config: the option table's rows with what the public OptionSpec leaves
// out (which Config field a row fills, value kind, limits), and the typed assign/render/compare
// helpers every layer (defaults, file, env, flags) shares so each option is parsed one way.
// The table is constant data; every function here is stateless and thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "agent/config/config.hpp"

namespace constellation::config::detail {

/// How an option's text is parsed; the public OptionSpec::type is kind_name(kind).
enum class Kind { string, path, endpoint, boolean, duration, bytes, integer, list, level, format };
constexpr std::string_view kind_name(Kind kind) {
  constexpr std::string_view names[] = {"string", "path", "endpoint", "bool",  "duration",
                                        "bytes",  "int",  "list",     "level", "format"};
  return names[static_cast<int>(kind)];
}

/// The Config member a row reads and writes.
using Field =
    std::variant<std::string Config::*, Endpoint Config::*, std::vector<std::string> Config::*,
                 bool Config::*, std::chrono::milliseconds Config::*, std::int64_t Config::*,
                 int Config::*>;

/// One option: its public description plus the binding to Config.
struct OptionRow {
  OptionSpec spec;
  Kind kind;
  Field field;
  std::int64_t min = 0, max = 0;  ///< inclusive limits for integer/bytes/duration(ms); 0,0 = none
  bool env_sets_port = false;     ///< the env var (API_PORT...) sets only the endpoint's port
  bool default_is_hostname = false;  ///< default comes from the host name, not default_text
};

/// The table, in documentation order.
std::span<const OptionRow> rows();
/// Row by key or by flag spelling (without dashes); nullptr if none.
const OptionRow* find_by_key(std::string_view key);
const OptionRow* find_by_flag(std::string_view flag);
/// Every key (or "--flag"), for "did you mean" suggestions.
std::vector<std::string> all_keys();
std::vector<std::string> all_flags();

/// A raw value as it arrives from a layer: text, or a list from a YAML/JSON sequence.
using RawValue = std::variant<std::string, std::vector<std::string>>;

/// Parses `raw` for `row`, stores it in `config` and checks it with check(). The error
/// (bad_config) is only the reason, naming the value and the expected form; callers prefix
/// where the value came from. On error the field may hold the rejected value: callers work
/// on a scratch Config and discard it.
Status assign(const OptionRow& row, Config& config, const RawValue& raw);
/// Sets only the port of an endpoint option (API_PORT and friends).
Status assign_port(const OptionRow& row, Config& config, std::string_view text);
/// The per-option rule on a stored value: the row's min/max, the log level and format names.
/// Used both as each layer assigns and on the final layered Config.
Status check(const OptionRow& row, const Config& config);
/// The value as `config show` prints it; parses back to the same value.
std::string render(const OptionRow& row, const Config& config);
/// render() for display: a secret option shows "(set)" when it has a value and "(secret)"
/// when empty, never the value itself.
std::string shown_value(const OptionRow& row, const Config& config);
/// Exact comparison of one option between two configs.
bool same_value(const OptionRow& row, const Config& a, const Config& b);

/// One flag occurrence from the command line, in order.
struct FlagValue {
  const OptionRow* row;
  std::string value;     ///< "true" for a bare boolean flag
  std::string spelling;  ///< "--api"
};
struct ParsedArgs {
  std::vector<FlagValue> flags;
  std::vector<std::string> positional;
};
/// Splits arguments into flags and positional words. Unknown flags (with a "did you mean")
/// and flags missing their value are invalid_argument; values are not parsed here.
Result<ParsedArgs> parse_args(const std::vector<std::string>& args);

/// Error prefix for an origin: "FILE: line N: ", "FILE: " (JSON), "environment variable X: ",
/// "flag --x: " or "default value: ".
std::string where(const Origin& origin);

/// Checks cross-field and semantic rules after layering; names key, value, source, expectation.
Status validate(const Config& config, const std::map<std::string, Origin>& origins);

}  // namespace constellation::config::detail
