// `constellation reload`: asks the agent to re-read its configuration (same as SIGHUP) and
// prints which options changed and which need a restart to take effect.
#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

std::string listed(const nlohmann::json& names) {
  std::string out;
  if (!names.is_array()) return out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += name.is_string() ? name.get<std::string>() : name.dump();
  }
  return out;
}

int exec_reload(Context& context, const ParsedArgs&) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response = (*client)->post(api_paths::reload, nlohmann::json::object());
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  std::string changed = listed(response->value("changed", nlohmann::json::array()));
  std::string restart = listed(response->value("restart_required", nlohmann::json::array()));
  context.out << "changed: " << (changed.empty() ? "nothing" : changed) << '\n';
  if (!restart.empty())
    context.out << "restart required: " << restart
                << " (restart the agent for these to take effect)\n";
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kReload{
    .name = "reload",
    .summary = "make the agent re-read its configuration (same as SIGHUP)",
    .mutates = true,
    .needs_agent = true,
    .examples =
        "constellation reload\nconstellation reload --agent http://127.0.0.1:8080 "
        "--token-file /etc/constellation/secrets/api-token",
    .exec = exec_reload,
};

}  // namespace constellation::console::commands
