// Loading the agent's configuration inside the console (`config show|check`, `doctor`): the
// same loader the agent runs, fed the passthrough words and the Context's environment, so
// the console reports exactly what the agent would see.
#pragma once

#include <string>
#include <vector>

#include "agent/config/config.hpp"
#include "console/command/context.hpp"

namespace constellation::console::commands {

/// config::load over `args` with context.getenv (the process environment when unset).
/// Errors as config::load: bad_config (exit 78) or invalid_argument (exit 2). Leftover
/// positional words are an invalid_argument error naming the first one.
Result<config::Loaded> load_local_config(const Context& context,
                                         const std::vector<std::string>& args);

}  // namespace constellation::console::commands
