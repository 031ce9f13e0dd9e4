// Entry point of `constellation agent`: loads configuration, starts the subsystems in order
// on one io_context, runs until SIGTERM/SIGINT, and stops them in reverse order.
#pragma once

#include <string>
#include <vector>

namespace constellation::agent {

/// Runs the agent with the flags that followed `constellation agent`. Returns the process
/// exit code: 0 after a graceful stop, 78 for bad configuration, 1 for other start failures.
int run_agent(const std::vector<std::string>& args);

}  // namespace constellation::agent
