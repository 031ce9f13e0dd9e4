// ClusterService: the application layer on top of gossip. It gossips this node's metadata
// (node_meta.hpp) and service-health records (cluster_view.hpp) through GossipService,
// merges what peers send, forgets a node's records when it dies or leaves, and answers the
// API's views of nodes and services. Every change to a peer's record becomes an Event (this
// node's own changes are journaled by their source).
//
// Ownership: owns the view; references the GossipService, which must outlive it (the agent
// owns both). Threading: the agent's loop thread only. Failure: bad payloads from peers are
// counted and dropped; API lookups of unknown names are not_found naming what exists.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/cluster/cluster_view.hpp"
#include "agent/cluster/node_meta.hpp"
#include "agent/gossip/transport.hpp"
#include "shared/error.hpp"
#include "shared/event.hpp"

namespace constellation::cluster {

/// One gossip member as the layers above gossip see it.
struct MemberInfo {
  std::string name{};
  std::string address{};  ///< gossip "ip:port"
  bool live{};            ///< alive or suspect
  bool self{};
  NodeMeta meta{};  ///< role is empty for a member whose meta does not decode
};

class ClusterService {
 public:
  using Publish = std::function<void(Event)>;

  /// Hooks itself into `gossip` (call before gossip.start()) and sets the local meta.
  ClusterService(gossip::GossipService& gossip, std::string self, NodeMeta meta, Publish publish);
  ClusterService(const ClusterService&) = delete;
  ClusterService& operator=(const ClusterService&) = delete;

  /// Where node-RPC payloads (first byte kRpcType, node_rpc.hpp) go instead of the view.
  void set_rpc_sink(std::function<void(std::span<const std::uint8_t>)> sink) {
    rpc_sink_ = std::move(sink);
  }
  /// Feed every gossip member event here (the agent's gossip event sink).
  void on_member_event(const gossip::MemberEvent& event);
  /// This node's whole current record set (from the Docker monitor and the checks).
  void set_local_services(std::vector<ServiceRecord> records);
  /// Replaces the local meta (e.g. once the public or Tailscale IP is known).
  Status set_meta(NodeMeta meta);
  const NodeMeta& meta() const { return meta_; }
  const ClusterView& view() const { return view_; }
  /// Every gossip member (this node included), by name.
  std::vector<MemberInfo> members() const;
  /// Peer payloads dropped, by reason.
  const std::map<std::string, std::uint64_t>& dropped() const { return dropped_; }

  /// [{name,address,state,incarnation,self,role,priority,capabilities,public_ip,
  ///   tailscale_ip,version,services:{healthy:N,...},state_age_ms}] sorted by priority, name.
  nlohmann::json nodes_json() const;
  /// One node with its service records and, if suspected, its suspicion; not_found.
  Result<nlohmann::json> node_json(const std::string& name) const;
  /// [{service, instances:N, healthy:N, nodes:[{node,status}]}] by service name.
  nlohmann::json services_json() const;
  /// Every instance of one service across the cluster; not_found.
  Result<nlohmann::json> service_json(const std::string& service) const;

 private:
  void apply(ViewUpdate update);
  bool is_live(const std::string& node) const;
  nlohmann::json node_summary(const gossip::Member& member) const;

  gossip::GossipService& gossip_;
  ClusterView view_;
  NodeMeta meta_;
  Publish publish_;
  std::map<std::string, std::uint64_t> dropped_;
  std::function<void(std::span<const std::uint8_t>)> rpc_sink_;
};

}  // namespace constellation::cluster
