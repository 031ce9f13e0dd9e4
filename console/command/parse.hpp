// The command-line parser: resolves the command (and sub-command) from the table, takes
// global flags from anywhere, checks per-command flags, their values and the positional
// arity, all before the command runs, so a command's file holds only its real logic.
#pragma once

#include <span>
#include <string>

#include "console/command/command.hpp"
#include "shared/error.hpp"

namespace constellation::console {

/// Parses the words after the program name. Errors are invalid_argument (exit 2) with a
/// one-line message for the operator: an unknown command or flag (with "did you mean"), a
/// missing flag value, a bad value, a repeated single-value flag, or too few/many arguments.
/// With -h/--help the arity is not checked. No command word at all is not an error: the result
/// has `command == nullptr` (and `group` set when only a group such as "config" was named).
/// A lone "--" makes every later word positional.
Result<ParsedArgs> parse_command_line(std::span<const std::string> args);
/// The same over another list of rows (tests of parser features no real row uses).
Result<ParsedArgs> parse_command_line(std::span<const std::string> args,
                                      std::span<const CommandSpec* const> table);

/// "--since DURATION" / "-o, --output table|json": a flag as written in usage and help.
std::string flag_usage(const FlagSpec& flag);

}  // namespace constellation::console
