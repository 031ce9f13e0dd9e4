// Tab completion for the shell: the candidates `constellation __complete` prints (the same
// engine and the same live node, service and lease names from the agent), plus the shell's
// own words (exit, quit, history, `events on|off`).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "console/command/context.hpp"
#include "console/shell/line_split.hpp"

namespace constellation::console::shell {

/// The shell's own commands, offered as first words beside the table's.
inline constexpr std::array<std::string_view, 3> kBuiltinWords = {"exit", "quit", "history"};
/// `events on` / `events off`: the shell's switch for live event lines.
inline constexpr std::array<std::string_view, 2> kEventsSwitchWords = {"on", "off"};

/// Candidates for the last of `words` (the word being completed, possibly empty), given the
/// words before it in the same command. Asks the agent for live names through `shell`'s
/// client factory; an agent that does not answer only means fewer candidates.
std::vector<std::string> shell_candidates(const Context& shell, const CommandWords& words);

}  // namespace constellation::console::shell
