// `constellation status`: the agent's /api/v1/status, as fields for people or the JSON as
// received for scripts.
#include "console/render/status.hpp"
#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

int exec_status(Context& context, const ParsedArgs&) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto status = (*client)->get(api_paths::status);
  if (!status) return report(context, status.error());
  if (context.format == OutputFormat::json)
    print_json(context, *status);
  else
    context.out << render_status(*status);
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kStatus{
    .name = "status",
    .summary = "show the agent's node, version, uptime, listeners, subsystems and journal",
    .needs_agent = true,
    .examples = "constellation status\nconstellation status -o json",
    .exec = exec_status,
};

}  // namespace constellation::console::commands
