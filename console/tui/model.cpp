// ClusterModel: snapshots replace, events amend (see model.hpp for the rules).
#include "console/tui/model.hpp"

#include <algorithm>

namespace constellation::console::tui {
namespace {

std::string text(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::int64_t number(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

ServiceRow service_from_json(const std::string& name, const nlohmann::json& instances) {
  ServiceRow row{.name = name};
  if (instances.is_array())
    for (const auto& instance : instances)
      if (instance.is_object())
        row.instances.push_back(
            {.node = text(instance, "node"), .status = text(instance, "status")});
  std::sort(row.instances.begin(), row.instances.end(),
            [](const Instance& a, const Instance& b) { return a.node < b.node; });
  return row;
}

}  // namespace

int ServiceRow::healthy() const {
  return static_cast<int>(std::count_if(instances.begin(), instances.end(), [](const Instance& i) {
    return i.status == "healthy" || i.status == "running";
  }));
}

NodeRow node_from_json(const nlohmann::json& node, std::int64_t now_ms) {
  NodeRow row{.name = text(node, "name"), .state = text(node, "state")};
  row.priority = static_cast<int>(number(node, "priority"));
  if (auto it = node.find("capabilities"); it != node.end() && it->is_array())
    for (const auto& capability : *it)
      if (capability.is_string()) row.capabilities.push_back(capability.get<std::string>());
  row.address = text(node, "address");
  row.public_ip = text(node, "public_ip");
  row.tailscale_ip = text(node, "tailscale_ip");
  row.self = node.value("self", false);
  row.incarnation = number(node, "incarnation");
  if (node.contains("state_age_ms")) row.changed_ms = now_ms - number(node, "state_age_ms");
  return row;
}

void ClusterModel::load_nodes(const nlohmann::json& body, std::int64_t now_ms) {
  nodes_.clear();
  if (auto it = body.find("nodes"); it != body.end() && it->is_array())
    for (const auto& node : *it)
      if (node.is_object()) nodes_.push_back(node_from_json(node, now_ms));
  sort_nodes();
}

void ClusterModel::load_services(const nlohmann::json& body) {
  services_.clear();
  if (auto it = body.find("services"); it != body.end() && it->is_array())
    for (const auto& service : *it)
      if (service.is_object())
        services_.push_back(
            service_from_json(text(service, "service"), service.value("nodes", nlohmann::json())));
  std::sort(services_.begin(), services_.end(),
            [](const ServiceRow& a, const ServiceRow& b) { return a.name < b.name; });
}

void ClusterModel::load_events(const nlohmann::json& events) {
  if (!events.is_array()) return;
  for (const auto& item : events)
    if (auto event = event_from_json(item)) add_event(*event);
}

void ClusterModel::apply_node(const nlohmann::json& node, std::int64_t now_ms) {
  NodeRow row = node_from_json(node, now_ms);
  if (row.name.empty()) return;
  auto it = std::find_if(nodes_.begin(), nodes_.end(),
                         [&](const NodeRow& n) { return n.name == row.name; });
  if (it == nodes_.end())
    nodes_.push_back(std::move(row));
  else
    *it = std::move(row);
  sort_nodes();
}

void ClusterModel::apply_service(const nlohmann::json& body) {
  std::string name = text(body, "service");
  if (name.empty()) return;
  ServiceRow row = service_from_json(name, body.value("instances", nlohmann::json()));
  auto it = std::lower_bound(services_.begin(), services_.end(), name,
                             [](const ServiceRow& s, const std::string& n) { return s.name < n; });
  if (it != services_.end() && it->name == name)
    *it = std::move(row);
  else
    services_.insert(it, std::move(row));
}

void ClusterModel::remove_service(const std::string& name) {
  std::erase_if(services_, [&](const ServiceRow& s) { return s.name == name; });
}

Refresh ClusterModel::apply_event(const Event& event) {
  add_event(event);
  if (event.kind.starts_with("member.")) {
    const std::string change = event.kind.substr(7);
    auto it = std::find_if(nodes_.begin(), nodes_.end(),
                           [&](const NodeRow& n) { return n.name == event.subject; });
    if (change == "reaped") {
      if (it != nodes_.end()) nodes_.erase(it);
      return {};
    }
    // A node we have not seen, or new metadata: one GET of that node.
    if (it == nodes_.end() || change == "update")
      return {.kind = Refresh::Kind::node, .name = event.subject};
    const std::string state = change == "join" ? "alive" : change;
    if (it->state != state) {
      it->state = state;
      it->changed_ms = event.time_ms;
    }
    return {};
  }
  if (event.kind == "service.health_changed") {
    std::string service = event.detail.is_object() ? text(event.detail, "service") : "";
    if (service.empty()) service = event.subject.substr(0, event.subject.find('@'));
    if (!service.empty()) return {.kind = Refresh::Kind::service, .name = service};
  }
  return {};
}

const NodeRow* ClusterModel::find_node(const std::string& name) const {
  for (const auto& node : nodes_)
    if (node.name == name) return &node;
  return nullptr;
}

std::map<std::string, int> ClusterModel::services_of(const std::string& node) const {
  std::map<std::string, int> counts;
  for (const auto& service : services_)
    for (const auto& instance : service.instances)
      if (instance.node == node) ++counts[instance.status];
  return counts;
}

void ClusterModel::add_event(const Event& event) {
  // Events arrive in id order; a snapshot may repeat ones we already hold.
  if (event.id != 0) {
    auto it = std::lower_bound(events_.begin(), events_.end(), event.id,
                               [](const Event& e, std::int64_t id) { return e.id < id; });
    if (it != events_.end() && it->id == event.id) return;
    events_.insert(it, event);
  } else {
    events_.push_back(event);
  }
  while (events_.size() > kMaxEvents) events_.pop_front();
}

void ClusterModel::sort_nodes() {
  // Most preferred first, as `constellation nodes` lists them.
  std::sort(nodes_.begin(), nodes_.end(), [](const NodeRow& a, const NodeRow& b) {
    return a.priority != b.priority ? a.priority < b.priority : a.name < b.name;
  });
}

}  // namespace constellation::console::tui
