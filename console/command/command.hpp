// The command table's row type (DESIGN §7, tmux's cmd_entry): every console command is one
// CommandSpec, and the parser, help, `__complete`, the man-page test and later the shell and
// the TUI's command bar all read the same rows. Parsing happens before `exec` runs.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace constellation::console {

struct Context;

/// How a flag's value is checked before the command runs.
enum class FlagType {
  boolean,   ///< no value: `--follow`
  string,    ///< any text
  duration,  ///< shared/duration.hpp syntax: 30s, 15m, 1h30m
  integer,   ///< a non-negative decimal number
  choice,    ///< one of `choices`
};

/// One flag of a command (or a global flag). Flags are written `--name VALUE`,
/// `--name=VALUE` or, when `short_name` is set, `-x VALUE`.
struct FlagSpec {
  std::string_view name{};  ///< long name without dashes: "since"
  char short_name = '\0';   ///< single-letter alias, '\0' if none
  FlagType type = FlagType::boolean;
  std::string_view value_name{};  ///< shown in usage: "DURATION" (empty for booleans)
  std::string_view help{};
  bool repeatable = false;     ///< may be given more than once
  std::string_view choices{};  ///< space-separated allowed values for FlagType::choice
};

/// How the words after the command name are treated.
/// What a command's positional words name, so completion can offer live names from the agent.
enum class NameKind { none, node, service, lease };

enum class ArgsMode {
  parsed,       ///< flags from `flags` and global flags; the rest is positional
  passthrough,  ///< global flags are taken out; everything else goes verbatim to the command
                ///< (agent options handed to config::load). `flags` then only documents
                ///< (help, man page, completion); the command validates them itself.
  raw,          ///< every word is positional, nothing is interpreted (`__complete`)
};

/// Parsed words of one command line: filled by parse_command_line before `exec` runs.
struct ParsedArgs;

/// Runs a command. Writes only to the Context; returns the process exit code.
using CommandExec = int (*)(Context& context, const ParsedArgs& args);

/// One row of the command table.
struct CommandSpec {
  std::string_view name{};  ///< "status", or "config show" for a sub-command
  std::span<const std::string_view> aliases{};
  std::string_view args_usage{};  ///< positional part of the usage line: "MESSAGE..."
  std::string_view summary{};     ///< one line, shown by `help`
  std::span<const FlagSpec> flags{};
  int min_args = 0;
  int max_args = 0;          ///< -1: unbounded
  bool mutates = false;      ///< changes cluster state (shown in help; needs a token over TCP)
  bool needs_agent = false;  ///< talks to a running agent
  bool hidden = false;       ///< left out of help and completion (`__complete`)
  ArgsMode mode = ArgsMode::parsed;
  bool agent_options = false;   ///< passthrough words are the agent's options (config::load)
  std::string_view examples{};  ///< newline-separated example command lines for help and man
  CommandExec exec = nullptr;
  NameKind names = NameKind::none;  ///< positional words are node, service or lease names
};

/// Output format selected with -o/--output.
enum class OutputFormat { table, json };

/// The global flags, accepted anywhere on the command line.
struct GlobalOptions {
  std::optional<std::string> agent;       ///< --agent ADDR
  std::optional<std::string> token_file;  ///< --token-file FILE
  std::optional<OutputFormat> output;     ///< -o/--output
  bool help = false;                      ///< -h/--help
};

/// The global flags' long names, as stored by the parser.
namespace global_flag {
inline constexpr std::string_view agent = "agent";
inline constexpr std::string_view token_file = "token-file";
inline constexpr std::string_view output = "output";
inline constexpr std::string_view help = "help";
}  // namespace global_flag

struct ParsedArgs {
  const CommandSpec* command = nullptr;  ///< nullptr when no command word was given
  std::string group;  ///< "config" when only a command group was named (with --help)
  GlobalOptions globals;
  std::vector<std::string> positional;
  /// Per-command flags by long name; booleans map to one empty value per occurrence.
  std::map<std::string, std::vector<std::string>, std::less<>> flags;

  bool has(std::string_view flag) const { return flags.contains(flag); }
  /// The last value given for `flag`, nullopt if absent.
  std::optional<std::string> value(std::string_view flag) const {
    auto it = flags.find(flag);
    if (it == flags.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  }
};

}  // namespace constellation::console
