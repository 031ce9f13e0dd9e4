// The one-shot CLI: builds the real Context (stdout, stderr, environment, libcurl client,
// agent runner) and dispatches. The only console file that links the agent library.
#include "console/cli/cli.hpp"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include "agent/agent.hpp"
#include "agent/consensus/raft_recover.hpp"
#include "console/client/curl_client.hpp"
#include "console/command/dispatch.hpp"

namespace constellation::console {

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + (argc > 0 ? 1 : 0), argv + argc);
  Context context{.out = std::cout, .err = std::cerr};
  context.is_tty = ::isatty(STDOUT_FILENO) == 1;
  context.make_client = make_curl_client;
  context.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  context.run_agent = agent::run_agent;
  context.recover_raft = consensus::recover_named_voters;
  int code = dispatch(context, words);
  std::cout.flush();
  return code;
}

}  // namespace constellation::console
