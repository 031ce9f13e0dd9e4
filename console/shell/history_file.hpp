// Where the shell keeps its history and how the file is made: $XDG_STATE_HOME (else
// ~/.local/state)/constellation/shell_history, the directory 0700 and the file 0600, because
// typed lines may name nodes, reasons and tokens' file paths an operator wants kept private.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "shared/error.hpp"

namespace constellation::console::shell {

/// Lines kept in memory and in the file; older ones are dropped.
inline constexpr int kHistoryLines = 1000;

/// The history file's path from the environment: $XDG_STATE_HOME/constellation/shell_history
/// when XDG_STATE_HOME is set and absolute, else $HOME/.local/state/constellation/
/// shell_history. Errors: not_found when neither variable gives a place.
Result<std::string> history_path(
    const std::function<std::optional<std::string>(const std::string&)>& getenv);

/// Creates the file's missing directories (0700) and the file itself (0600) if absent; an
/// existing file readable by others is narrowed to 0600. Errors: internal naming the path and
/// the system's reason.
Status prepare_history_file(const std::string& path);

/// The last `max_lines` lines of the history file, oldest first (none if it cannot be read).
/// For the TUI's command bar, which shares the shell's history.
std::vector<std::string> read_history_lines(const std::string& path, std::size_t max_lines);

/// Appends one line to the history file (prepare_history_file first). Errors: internal.
Status append_history_line(const std::string& path, const std::string& line);

}  // namespace constellation::console::shell
