// `constellation agent [OPTION...]`: runs the node agent in this process. The options go
// verbatim to the agent's configuration loader; the runner is injected through the Context
// (cli.cpp) so the command table does not pull the agent library into every test.
#include "console/command/context.hpp"
#include "console/commands/commands.hpp"

namespace constellation::console::commands {
namespace {

int exec_agent(Context& context, const ParsedArgs& args) {
  if (!context.run_agent)
    return report(context,
                  Error{ErrorCode::internal, "this build of constellation cannot run the agent"});
  return context.run_agent(args.positional);
}

}  // namespace

const CommandSpec kAgent{
    .name = "agent",
    .summary = "run the node agent in the foreground (normally under systemd)",
    .mode = ArgsMode::passthrough,
    .agent_options = true,
    .examples =
        "constellation agent --config /etc/constellation/config.yaml\n"
        "constellation agent --node alpha --data-dir /tmp/alpha --api 127.0.0.1:8080",
    .exec = exec_agent,
};

}  // namespace constellation::console::commands
