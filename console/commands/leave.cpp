// `constellation leave` (this agent leaves the gossip cluster gracefully and stops) and
// `constellation force-leave NODE` (a failed node is marked left everywhere, so it stops
// being reported as failed and its name can be reused).
#include <string>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

int exec_leave(Context& context, const ParsedArgs&) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response = (*client)->post(api_paths::leave, nlohmann::json::object());
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  context.out << "leaving the cluster; the agent stops once its peers have heard it\n";
  return exit_codes::ok;
}

int exec_force_leave(Context& context, const ParsedArgs& args) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  const std::string& node = args.positional.at(0);
  auto response = (*client)->post(std::string(api_paths::nodes) + "/" + node + "/force-leave",
                                  nlohmann::json::object());
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  context.out << node << " is marked as left\n";
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kLeave{
    .name = "leave",
    .summary = "leave the gossip cluster gracefully and stop this node's agent",
    .mutates = true,
    .needs_agent = true,
    .examples = "constellation leave",
    .exec = exec_leave,
};

const CommandSpec kForceLeave{
    .name = "force-leave",
    .args_usage = "NODE",
    .summary = "mark a failed node as left everywhere (it must not be alive)",
    .min_args = 1,
    .max_args = 1,
    .mutates = true,
    .needs_agent = true,
    .examples = "constellation force-leave old-node-3",
    .exec = exec_force_leave,
    .names = NameKind::node,
};

}  // namespace constellation::console::commands
