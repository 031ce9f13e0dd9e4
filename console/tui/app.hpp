// `constellation console`: the TUI's loop. Waits on stdin, the live feed's pipe and a 1 s
// tick (ages on screen), applies keys and /ws messages to the model and the view state, and
// repaints once per pass. Snapshots (nodes, services, events) are fetched over REST on every
// (re)connect and resync; after that only single GETs triggered by events or by Enter.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "console/tui/command_bar.hpp"
#include "console/tui/live_feed.hpp"

namespace constellation::console::tui {

/// What a `:` command line printed (stdout and stderr together) and its exit code.
struct CommandRun {
  int exit_code = 0;
  std::string output{};
};

/// How to reach the agent: `connect` makes a client (called on the UI thread and on the
/// feed's thread); `agent` is the address as the operator wrote it, for the status line.
/// The `:` command bar runs lines with `run_command` and completes with `complete` (both on
/// the UI thread; without them the bar says it cannot run commands); `history` seeds its
/// Up/Down history, oldest first.
struct TuiOptions {
  ConnectFn connect{};
  std::string agent{};
  std::function<CommandRun(const std::string& line)> run_command{};
  CompleteFn complete{};
  std::vector<std::string> history{};
};

/// Runs the TUI until q. Errors before curses starts (no terminal, bad address) go to `err`.
/// Returns the process exit code: 0 after q, 2 without a terminal.
int run_tui(const TuiOptions& options, std::ostream& err);

}  // namespace constellation::console::tui
