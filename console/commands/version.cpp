// `constellation version`: this binary's version and, when the agent answers /health, the
// agent's. An unreachable agent is reported but is not a failure: the client version is the
// answer the operator asked for.
#include "shared/version.hpp"
#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

/// The agent's /health body (200 or 503 both carry node and version), or why not.
Result<nlohmann::json> agent_health(Context& context) {
  auto client = context.client();
  if (!client) return std::unexpected(client.error());
  auto response = (*client)->send("GET", api_paths::health, nullptr);
  if (!response) return std::unexpected(response.error());
  if (!response->body.is_object() || !response->body.contains("version"))
    return std::unexpected(error_from_response(*response));
  return response->body;
}

int exec_version(Context& context, const ParsedArgs&) {
  auto health = agent_health(context);
  if (context.format == OutputFormat::json) {
    nlohmann::json out = {{"client", std::string(constellation::kVersion)},
                          {"api", std::string(kApiVersion)}};
    out["agent"] = health ? nlohmann::json{{"version", (*health)["version"]},
                                           {"node", health->value("node", "")},
                                           {"status", health->value("status", "")},
                                           {"address", context.agent_address}}
                          : nlohmann::json(nullptr);
    if (!health) out["agent_error"] = health.error().message;
    print_json(context, out);
    return exit_codes::ok;
  }
  std::string agent;
  if (health)
    agent = health->value("version", "?") + " (node " + health->value("node", "?") + ", " +
            health->value("status", "?") + ", at " + context.agent_address + ")";
  else
    agent = "unknown: " + health.error().message;
  context.out << render_fields(
      {{"client", std::string(constellation::kVersion) + " (api " + std::string(kApiVersion) + ")"},
       {"agent", agent}});
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kVersion{
    .name = "version",
    .summary = "print the client's version and, if the agent answers, the agent's",
    .examples = "constellation version\nconstellation version -o json",
    .exec = exec_version,
};

}  // namespace constellation::console::commands
