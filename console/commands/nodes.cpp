// `constellation nodes` and `constellation node show NODE`: the cluster's nodes as gossip
// sees them — member state plus the meta each node gossips (priority, capabilities, IPs) and
// its service health counts (GET /api/v1/nodes, /api/v1/nodes/{node}).
#include <string>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"
#include "shared/strings.hpp"

namespace constellation::console::commands {
namespace {

// "2 healthy, 1 unhealthy" from {"healthy":2,"unhealthy":1}.
std::string service_counts(const nlohmann::json& counts) {
  std::vector<std::string> parts;
  if (counts.is_object())
    for (const auto& [status, count] : counts.items()) parts.push_back(count.dump() + " " + status);
  return parts.empty() ? "-" : join(parts, ", ");
}

std::string list_cell(const nlohmann::json& object, std::string_view key) {
  auto items = cells(object, key);
  return items.empty() ? "-" : join(items, ",");
}

std::string or_dash(std::string text) {
  return text.empty() ? "-" : text;
}

int exec_nodes(Context& context, const ParsedArgs&) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response = (*client)->get(api_paths::nodes);
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  Table table{.columns = {"NAME", "STATE", "PRIORITY", "CAPABILITIES", "ADDRESS", "PUBLIC IP",
                          "TAILSCALE IP", "SERVICES"},
              .rows = {}};
  const auto nodes = response->value("nodes", nlohmann::json::array());
  for (const auto& node : nodes) {
    std::string name = cell(node, "name");
    if (node.value("self", false)) name += " (this node)";
    table.rows.push_back({name, cell(node, "state"), cell(node, "priority"),
                          list_cell(node, "capabilities"), cell(node, "address"),
                          or_dash(cell(node, "public_ip")), or_dash(cell(node, "tailscale_ip")),
                          service_counts(node.value("services", nlohmann::json::object()))});
  }
  context.out << render_table(table);
  return exit_codes::ok;
}

int exec_node_show(Context& context, const ParsedArgs& args) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  const std::string& name = args.positional.at(0);
  auto response = (*client)->get(std::string(api_paths::nodes) + "/" + name);
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  const auto& node = *response;
  Table about{.columns = {"FIELD", "VALUE"}, .rows = {}};
  for (const char* key : {"name", "state", "incarnation", "address", "role", "version", "priority",
                          "public_ip", "tailscale_ip"})
    about.rows.push_back({key, or_dash(cell(node, key))});
  about.rows.push_back({"capabilities", list_cell(node, "capabilities")});
  about.rows.push_back({"in state for", cell(node, "state_age_ms") + " ms"});
  if (node.contains("suspicion")) {
    const auto& suspicion = node["suspicion"];
    about.rows.push_back({"suspected by", list_cell(suspicion, "accusers")});
    about.rows.push_back({"declared dead in", cell(suspicion, "deadline_in_ms") + " ms"});
  }
  context.out << render_table(about);
  Table services{.columns = {"SERVICE", "STATUS", "ENDPOINTS", "NETWORKS", "VERSION"}, .rows = {}};
  const auto records = node.value("service_records", nlohmann::json::array());
  for (const auto& record : records) {
    auto endpoints = cells(record, "endpoints");
    services.rows.push_back({cell(record, "service"), cell(record, "status"),
                             endpoints.empty() ? "-" : join(endpoints, " "),
                             list_cell(record, "networks"), cell(record, "version")});
  }
  context.out << '\n';
  if (services.rows.empty())
    context.out << "no services reported by " << name << '\n';
  else
    context.out << render_table(services);
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kNodes{
    .name = "nodes",
    .summary = "list the cluster's nodes: state, priority, capabilities, IPs and service health",
    .needs_agent = true,
    .examples = "constellation nodes\nconstellation nodes -o json",
    .exec = exec_nodes,
};

const CommandSpec kNodeShow{
    .name = "node show",
    .args_usage = "NODE",
    .summary = "show one node: its meta, member state, suspicion and service records",
    .min_args = 1,
    .max_args = 1,
    .needs_agent = true,
    .examples = "constellation node show cloudserver-1\nconstellation node show web-2 -o json",
    .exec = exec_node_show,
    .names = NameKind::node,
};

}  // namespace constellation::console::commands
