// How the shell runs a line's commands: each one in a forked child that dispatches it through
// the one command table, as the one-shot CLI would, with the terminal as its output. A child
// is what makes Ctrl-C cancel a blocking command (a REST call, `events --follow`) and never
// the shell, and a command that exits or crashes cannot take the shell with it.
#pragma once

#include <istream>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include <sys/types.h>

#include "console/command/context.hpp"
#include "console/shell/line_split.hpp"

namespace constellation::console::shell {

/// A Context for a command run from the shell, writing to `out`/`err`: the shell's agent
/// address, token file, client factory, output format and agent runner. The environment it
/// sees hides CONSTELLATION_AGENT and CONSTELLATION_TOKEN_FILE, which the shell has already
/// resolved (so `shell --agent X` wins over the environment for every command).
Context command_context(const Context& shell, std::ostream& out, std::ostream& err);

/// Forks a child that runs `words` through dispatch() with stdout/stderr as its streams,
/// default SIGINT/SIGPIPE handling and `close_fds` closed, then _exits with the command's
/// exit code. The parent flushes its stdio first so nothing is printed twice. Returns the
/// child's pid; errors: internal when fork fails.
Result<pid_t> start_command(const Context& shell, const CommandWords& words,
                            std::span<const int> close_fds);

/// The exit code of a reaped child as the shell reports it: its own code, or 128 + signal.
int exit_code_of(int wait_status);

/// Without a terminal: runs each line of `input` as a command line, one command after the
/// other (`exit` or `quit` stops), and returns the last command's exit code (2 for a line
/// that does not split). No prompt, no event lines.
int run_script(const Context& context, std::istream& input);

}  // namespace constellation::console::shell
