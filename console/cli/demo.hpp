// `constellation demo`: a local 3-agent cluster on loopback for trying the product. Agents run
// as child processes of this one, with data in a temporary directory and embedded defaults;
// every agent started is stopped (by PID) on exit. Owned by the lead; the command table row
// `demo` calls run_demo with the words after the command name.
#pragma once

#include <string>
#include <vector>

namespace constellation::console {

/// Runs the demo until SIGINT/SIGTERM (or, on a TTY, until the console exits). Returns the
/// process exit code.
int run_demo(const std::vector<std::string>& args);

}  // namespace constellation::console
