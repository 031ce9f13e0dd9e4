// `constellation services` and `constellation service show NAME`: service health across the
// cluster, from the records every node gossips (GET /api/v1/services, /api/v1/services/{name}).
#include <string>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"
#include "shared/strings.hpp"

namespace constellation::console::commands {
namespace {

int exec_services(Context& context, const ParsedArgs&) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response = (*client)->get(api_paths::services);
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  const auto list = response->value("services", nlohmann::json::array());
  if (list.empty()) {
    context.out << "no services reported by any node\n";
    return exit_codes::ok;
  }
  Table table{.columns = {"SERVICE", "HEALTHY", "INSTANCES", "NODES"}, .rows = {}};
  for (const auto& service : list) {
    std::vector<std::string> nodes;
    if (auto it = service.find("nodes"); it != service.end() && it->is_array())
      for (const auto& instance : *it)
        nodes.push_back(cell(instance, "node") + ":" + cell(instance, "status"));
    table.rows.push_back({cell(service, "service"), cell(service, "healthy"),
                          cell(service, "instances"), join(nodes, " ")});
  }
  context.out << render_table(table);
  return exit_codes::ok;
}

int exec_service_show(Context& context, const ParsedArgs& args) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response = (*client)->get(std::string(api_paths::services) + "/" + args.positional.at(0));
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  Table table{.columns = {"NODE", "STATUS", "ENDPOINTS", "NETWORKS", "SOURCE"}, .rows = {}};
  const auto instances = response->value("instances", nlohmann::json::array());
  for (const auto& record : instances) {
    auto endpoints = cells(record, "endpoints");
    auto networks = cells(record, "networks");
    table.rows.push_back({cell(record, "node"), cell(record, "status"),
                          endpoints.empty() ? "-" : join(endpoints, " "),
                          networks.empty() ? "-" : join(networks, ","), cell(record, "source")});
  }
  context.out << render_table(table);
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kServices{
    .name = "services",
    .summary = "list services across the cluster with their healthy and total instances",
    .needs_agent = true,
    .examples = "constellation services\nconstellation services -o json",
    .exec = exec_services,
};

const CommandSpec kServiceShow{
    .name = "service show",
    .args_usage = "SERVICE",
    .summary = "show every instance of one service: node, status, endpoints, networks",
    .min_args = 1,
    .max_args = 1,
    .needs_agent = true,
    .examples = "constellation service show whoami\nconstellation service show api -o json",
    .exec = exec_service_show,
    .names = NameKind::service,
};

}  // namespace constellation::console::commands
