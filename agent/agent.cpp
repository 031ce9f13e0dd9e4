// `constellation agent`: load and validate configuration, set up logging, run the NodeAgent.
// Start-up failures print one line naming what was wrong and exit with the documented code.
#include "agent/agent.hpp"

#include <cstdio>

#include "agent/node_agent.hpp"
#include "shared/log.hpp"
#include "shared/version.hpp"

namespace constellation::agent {

int run_agent(const std::vector<std::string>& args) {
  auto loaded = config::load(config::inputs_from_process(args));
  if (!loaded) {
    std::fprintf(stderr, "constellation agent: %s\n", loaded.error().message.c_str());
    return exit_code(loaded.error().code);
  }
  if (!loaded->positional.empty()) {
    std::fprintf(stderr,
                 "constellation agent: unexpected argument '%s' (see constellation help agent)\n",
                 loaded->positional.front().c_str());
    return exit_codes::usage;
  }
  const auto& config = loaded->config;
  auto format = log::parse_format(config.log_format);
  if (!format || !log::setup(config.log_level, *format)) {
    std::fprintf(stderr, "constellation agent: bad log settings\n");
    return exit_codes::config;
  }
  log::get("agent")->info("constellation {} starting as node '{}' (config: {})",
                          std::string(kVersion), config.node,
                          config.config_file.empty() ? "defaults" : config.config_file);
  NodeAgent agent(std::move(*loaded), args);
  auto ran = agent.run();
  if (!ran) {
    log::get("agent")->error("{}", ran.error().message);
    std::fprintf(stderr, "constellation agent: %s\n", ran.error().message.c_str());
    return exit_code(ran.error().code);
  }
  log::get("agent")->info("stopped");
  return exit_codes::ok;
}

}  // namespace constellation::agent
