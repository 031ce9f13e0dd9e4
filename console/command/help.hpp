// Help text generated from the command table: the overview (`constellation help`), one
// command's usage, flags and examples (`help COMMAND`, `COMMAND --help`) and a command
// group's listing (`help config`). Pure functions returning text; the caller prints it.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "console/command/command.hpp"

namespace constellation::console {

/// "constellation events [--kind KIND] ... [--follow]": the synopsis of one command.
std::string usage_line(const CommandSpec& command);

/// Every visible command with its summary, the global flags and the exit codes.
std::string render_overview();

/// Usage, summary, the command's flags, the agent options (for rows with `agent_options`), the
/// global flags and the examples.
std::string render_command_help(const CommandSpec& command);

/// The commands of a group ("config"): their usage lines and summaries.
std::string render_group_help(std::string_view group);

}  // namespace constellation::console
