// `constellation shell`: an interactive prompt over the one command table. GNU readline runs
// in callback mode inside a poll() loop that also waits on the live event feed (/ws, through
// console/tui/live_feed) and on signals, so event lines are printed above the prompt without
// disturbing the line being typed. Commands run in forked children (command_runner.hpp).
#pragma once

#include "console/command/context.hpp"

namespace constellation::console::shell {

/// What `constellation shell` was asked for on its command line.
struct ShellOptions {
  bool events = true;  ///< print the agent's live events above the prompt (`--no-events`)
};

/// Runs the shell on the process's terminal until Ctrl-D, `exit` or `quit` (exit code 0).
/// Without a terminal on stdin it reads command lines from stdin instead, prints no prompt
/// and returns the last command's exit code. Uses process-wide state (readline, signal
/// handlers for SIGINT, SIGCHLD and SIGWINCH, restored on return): one shell per process.
int run_shell(const Context& context, const ShellOptions& options);

}  // namespace constellation::console::shell
