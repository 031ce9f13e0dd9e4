// `constellation raft status` (this node's raft role, term, leader and members, and why there
// is no leader when that is the case) and `constellation raft transfer-leader [NODE]` (hand
// raft leadership to NODE, or to the best voter).
#include <string>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "console/render/consensus.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

int exec_raft_status(Context& context, const ParsedArgs&) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto status = (*client)->get(api_paths::raft_status);
  if (!status) return report(context, status.error());
  if (context.format == OutputFormat::json)
    print_json(context, *status);
  else
    context.out << render_raft_status(*status);
  return exit_codes::ok;
}

int exec_raft_transfer(Context& context, const ParsedArgs& args) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  nlohmann::json body = nlohmann::json::object();
  if (!args.positional.empty()) body["node"] = args.positional.front();
  auto response = (*client)->post(api_paths::raft_transfer, body);
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  if (args.positional.empty())
    context.out << "raft leadership handed to the best voter\n";
  else
    context.out << "raft leadership handed to " << args.positional.front() << '\n';
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kRaftStatus{
    .name = "raft status",
    .summary = "show this node's raft role, term, leader and members, or why there is no leader",
    .needs_agent = true,
    .examples = "constellation raft status\nconstellation raft status -o json",
    .exec = exec_raft_status,
};

const CommandSpec kRaftTransferLeader{
    .name = "raft transfer-leader",
    .args_usage = "[NODE]",
    .summary = "hand raft leadership to NODE, or to the best-priority voter",
    .max_args = 1,
    .mutates = true,
    .needs_agent = true,
    .examples = "constellation raft transfer-leader\nconstellation raft transfer-leader home-1",
    .exec = exec_raft_transfer,
    .names = NameKind::node,
};

}  // namespace constellation::console::commands
