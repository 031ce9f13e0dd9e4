// Access to the one command table (rows live in console/commands/, one file per command,
// registered in console/commands/registry.cpp) and to the global flags every command accepts.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "console/command/command.hpp"

namespace constellation::console {

/// Every command, in the order `help` lists them. Hidden rows included.
std::span<const CommandSpec* const> command_table();

/// The flags accepted anywhere on the command line: --agent, --token-file, -o, -h.
std::span<const FlagSpec> global_flags();

/// A list of command rows; every lookup below defaults to the real table (tests pass others).
using CommandList = std::span<const CommandSpec* const>;

/// The row whose name or alias is `name` ("status", "config show"), nullptr if none.
const CommandSpec* find_command(std::string_view name, CommandList table = command_table());

/// True when some row's name starts with "`group` " (e.g. "config" for "config show").
bool is_command_group(std::string_view group, CommandList table = command_table());

/// The flag of `command` (or a global flag when `command` is nullptr) spelled `name`
/// (long name without dashes, or a one-letter short name), nullptr if none.
const FlagSpec* find_flag(std::span<const FlagSpec> flags, std::string_view name);

/// The agent's command-line options (config::option_table) as flags, for help and completion
/// of rows with `agent_options`. Defined in console/commands/agent_options.cpp.
std::span<const FlagSpec> agent_option_flags();

/// The allowed values of a choice flag ("table json" -> {"table", "json"}).
std::vector<std::string> flag_choices(const FlagSpec& flag);

/// First words of the visible (non-hidden) commands and their aliases, without duplicates, in
/// table order: "version", "status", ..., "config", ... For suggestions and completion.
std::vector<std::string> top_level_words(CommandList table = command_table());

/// Second words of the visible rows in `group` ("config" -> {"show", "check"}).
std::vector<std::string> sub_command_words(std::string_view group,
                                           CommandList table = command_table());

}  // namespace constellation::console
