// Where the shell keeps its history and how the file is made: $XDG_STATE_HOME (else
// ~/.local/state)/constellation/shell_history, the directory 0700 and the file 0600, because
// typed lines may name nodes, reasons and tokens' file paths an operator wants kept private.
#pragma once

#include <functional>
#include <optional>
#include <string>

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

}  // namespace constellation::console::shell
