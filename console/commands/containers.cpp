// `constellation containers [--node N]` and `constellation restart SERVICE --node N`: a node's
// Docker containers as its monitor sees them (GET /api/v1/containers[?node=N]), and a restart
// of one of them (POST /api/v1/containers/{name}/restart[?node=N]). The agent forwards to
// another node's agent over node RPC, so any agent of the cluster serves every node.
#include <array>

#include "console/client/api_client.hpp"
#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"
#include "shared/strings.hpp"

namespace constellation::console::commands {
namespace {

constexpr std::array<FlagSpec, 1> kContainersFlags{{
    {.name = "node",
     .type = FlagType::string,
     .value_name = "NODE",
     .help = "the node whose containers to list (default: the agent's own node)"},
}};

constexpr std::array<FlagSpec, 1> kRestartFlags{{
    {.name = "node",
     .type = FlagType::string,
     .value_name = "NODE",
     .help = "the node that runs SERVICE (required)"},
}};

std::string text(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) return "";
  const auto& value = object[key];
  return value.is_string() ? value.get<std::string>() : value.dump();
}

/// `path` with ?node=NODE (percent-encoded) when a node is given.
std::string on_node(std::string path, const std::optional<std::string>& node) {
  if (node) path += "?node=" + url_encode(*node);
  return path;
}

/// A container table row list: NAME SERVICE STATUS STATE NETWORKS ENDPOINTS.
Table containers_table(const nlohmann::json& document) {
  Table table{.columns = {"NAME", "SERVICE", "STATUS", "STATE", "NETWORKS", "ENDPOINTS"},
              .rows = {}};
  for (const auto& c : document.value("containers", nlohmann::json::array())) {
    std::vector<std::string> networks, endpoints;
    for (const auto& n : c.value("networks", nlohmann::json::array()))
      if (n.is_string()) networks.push_back(n.get<std::string>());
    const auto listed = c.value("endpoints", nlohmann::json::object());  // items() borrows it
    for (const auto& [protocol, url] : listed.items())
      if (url.is_string()) endpoints.push_back(url.get<std::string>());
    table.rows.push_back({text(c, "name"), text(c, "service"), text(c, "status"), text(c, "state"),
                          join(networks, ","), join(endpoints, " ")});
  }
  return table;
}

int exec_containers(Context& context, const ParsedArgs& args) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response = (*client)->get(on_node(std::string(api_paths::containers), args.value("node")));
  if (!response) return report(context, response.error());
  const std::string node = text(*response, "node");
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  if (!response->value("available", false))
    context.err << "Docker is unavailable on " << node << ": " << text(*response, "error") << '\n';
  context.out << render_table(containers_table(*response));
  return exit_codes::ok;
}

int exec_restart(Context& context, const ParsedArgs& args) {
  auto wanted = args.value("node");
  if (!wanted)
    return report(context,
                  Error{ErrorCode::invalid_argument,
                        "restart needs --node NODE, the node that runs " + args.positional.at(0) +
                            " (`constellation containers` lists this node's)"});
  auto client = context.client();
  if (!client) return report(context, client.error());
  std::string path(api_paths::containers);
  path += "/" + url_encode(args.positional.at(0)) + "/restart";
  auto response = (*client)->post(on_node(path, wanted), nlohmann::json::object());
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  const auto& restarted = (*response)["restarted"];
  context.out << "restarted " << text(restarted, "container") << " (service "
              << text(restarted, "service") << ") on " << *wanted << '\n';
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kContainers{
    .name = "containers",
    .summary = "list a node's Docker containers with service, health, networks and endpoints",
    .flags = kContainersFlags,
    .needs_agent = true,
    .examples = "constellation containers\nconstellation containers --node web-2 -o json",
    .exec = exec_containers,
};

const CommandSpec kRestart{
    .name = "restart",
    .args_usage = "SERVICE",
    .summary = "restart a container (by service, container name or id) on a node",
    .flags = kRestartFlags,
    .min_args = 1,
    .max_args = 1,
    .mutates = true,
    .needs_agent = true,
    .examples =
        "constellation restart web --node web-1\nconstellation restart web-1-app --node "
        "web-1 -o json",
    .exec = exec_restart,
    .names = NameKind::service,
};

}  // namespace constellation::console::commands
