// The TUI's picture of the cluster, built from REST snapshots and /ws events. Pure data and
// pure updates: no I/O, no terminal, so every rule (which event changes what, when a GET is
// needed) is unit-tested. The front end owns one ClusterModel on its loop thread.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/event.hpp"

namespace constellation::console::tui {

/// One node as GET /api/v1/nodes describes it, plus when its state last changed.
struct NodeRow {
  std::string name{};
  std::string state{};
  int priority = 0;
  std::vector<std::string> capabilities{};
  std::string address{}, public_ip{}, tailscale_ip{};
  bool self = false;
  std::int64_t incarnation = 0;
  std::int64_t changed_ms = 0;  ///< wall-clock ms when `state` was entered (0: unknown)
};

/// One instance of a service: the node it runs on and its health.
struct Instance {
  std::string node{};
  std::string status{};
};

/// One service across the cluster (GET /api/v1/services).
struct ServiceRow {
  std::string name{};
  std::vector<Instance> instances{};
  int healthy() const;  ///< instances that are healthy or running
};

/// The connection to the agent, as the banner shows it.
struct Link {
  bool connected = false;
  std::string error{};  ///< why the last attempt failed (empty while connected)
  int attempt = 0;      ///< reconnect attempts since the link went down
  std::int64_t retry_in_ms = 0;
};

/// What the front end must fetch after an event: one GET of one node or service.
struct Refresh {
  enum class Kind { none, node, service } kind = Kind::none;
  std::string name{};
  bool operator==(const Refresh&) const = default;
};

/// The cluster as the console sees it. Not thread-safe; owned by the TUI loop.
class ClusterModel {
 public:
  /// Most events kept in memory; older ones are dropped first.
  static constexpr std::size_t kMaxEvents = 5000;

  /// Replaces every node from a GET /api/v1/nodes body ({"nodes":[...]}). `now_ms` dates the
  /// state changes from each node's state_age_ms.
  void load_nodes(const nlohmann::json& body, std::int64_t now_ms);
  /// Replaces every service from a GET /api/v1/services body ({"services":[...]}).
  void load_services(const nlohmann::json& body);
  /// Merges journal events (an array of event objects), keeping id order without duplicates.
  void load_events(const nlohmann::json& events);
  /// Replaces one node from GET /api/v1/nodes/{node}.
  void apply_node(const nlohmann::json& node, std::int64_t now_ms);
  /// Replaces one service from GET /api/v1/services/{name} ({"service","instances":[...]}).
  void apply_service(const nlohmann::json& body);
  /// Forgets a service (its GET answered 404: no instance is left).
  void remove_service(const std::string& name);
  /// Records a live event and applies what it says: member.* changes a node's state (or asks
  /// for that node when it is new or updated), service.health_changed asks for that service.
  Refresh apply_event(const Event& event);

  const std::vector<NodeRow>& nodes() const { return nodes_; }
  const std::vector<ServiceRow>& services() const { return services_; }
  const std::deque<Event>& events() const { return events_; }
  const NodeRow* find_node(const std::string& name) const;
  /// Health counts of the node's instances ({"healthy":2,"stopped":1}), from the services.
  std::map<std::string, int> services_of(const std::string& node) const;

  Link link{};
  std::string agent_node{};  ///< the node of the agent we talk to (from the /ws hello)

 private:
  void add_event(const Event& event);
  void sort_nodes();

  std::vector<NodeRow> nodes_;
  std::vector<ServiceRow> services_;
  std::deque<Event> events_;
};

/// Parses one node object of GET /api/v1/nodes (or /nodes/{node}).
NodeRow node_from_json(const nlohmann::json& node, std::int64_t now_ms);

}  // namespace constellation::console::tui
