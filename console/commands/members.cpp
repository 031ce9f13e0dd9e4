// `constellation members`: the agent's gossip member list (GET /api/v1/members) as a table
// NAME ADDRESS STATE INCARNATION, or the document as received with -o json.
#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

int exec_members(Context& context, const ParsedArgs&) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response = (*client)->get(api_paths::members);
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  Table table{.columns = {"NAME", "ADDRESS", "STATE", "INCARNATION"}, .rows = {}};
  for (const auto& member : response->value("members", nlohmann::json::array()))
    table.rows.push_back({cell(member, "name"), cell(member, "address"), cell(member, "state"),
                          cell(member, "incarnation")});
  context.out << render_table(table);
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kMembers{
    .name = "members",
    .summary = "list the gossip members with their address, state and incarnation",
    .needs_agent = true,
    .examples = "constellation members\nconstellation members -o json",
    .exec = exec_members,
};

}  // namespace constellation::console::commands
