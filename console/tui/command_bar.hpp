// The TUI's `:` command bar: a one-line editor at the bottom that runs a command of the table,
// with Tab completion (the shell's engine, handed in) and Up/Down history (shared with the
// shell's history file by the front end). Pure state and key handling, unit-tested; running
// the command and showing its output is the front end's job.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace constellation::console::tui {

/// Candidates for the last of `words` (possibly empty), given the words before it.
using CompleteFn = std::function<std::vector<std::string>(const std::vector<std::string>&)>;

/// The bar's state; lives in ViewState.
struct CommandBar {
  bool open = false;
  std::string text{};
  std::vector<std::string> history{};     ///< oldest first
  int recalled = -1;                      ///< index into history while Up/Down walk it, else -1
  std::vector<std::string> candidates{};  ///< shown after a Tab that left several
};

/// What a key in the bar leads to.
struct BarOutcome {
  enum class Kind { none, run, closed } kind = Kind::none;
  std::string line{};  ///< the line to run, for Kind::run (already added to the history)
};

/// Lines of history the bar keeps.
inline constexpr std::size_t kBarHistory = 200;

/// Why a command cannot run from the bar, nullopt when it can: commands that take the whole
/// terminal (console, shell, agent, demo) or never end (`--follow`; the Events screen is live).
std::optional<std::string> bar_refuses(const std::vector<std::string>& words);

/// Opens the bar with an empty line.
void open_bar(CommandBar& bar);
/// Applies one key (keymap.hpp's codes) while the bar is open: printable characters insert,
/// Backspace erases, Tab completes the last word (one candidate: the word and a space; several:
/// their common prefix, and the list is kept in `candidates`), Up/Down recall history, Enter
/// runs a non-blank line, Esc and Ctrl-C close the bar.
BarOutcome bar_key(CommandBar& bar, int key, const CompleteFn& complete);

}  // namespace constellation::console::tui
