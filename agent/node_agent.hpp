// NodeAgent composes the agent's subsystems on one Runtime: journal, API, gossip, docker (and,
// in later issues, consensus...). It owns the event path (publish -> journal ->
// WebSocket broadcast), the status document, health, reload and the lifecycle events.
// Everything here runs on the loop thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/cluster/node_meta.hpp"
#include "agent/cluster/service_record.hpp"
#include "agent/config/config.hpp"
#include "agent/consensus/applied_events.hpp"
#include "agent/consensus/commands.hpp"
#include "agent/consensus/lease_logic.hpp"
#include "agent/discovery/advertise.hpp"
#include "agent/runtime/runtime.hpp"
#include "shared/event.hpp"

namespace constellation::journal {
class JournalService;
}
namespace constellation::api {
class ApiServer;
struct ApiContext;
}  // namespace constellation::api
namespace constellation::gossip {
class GossipService;
}
namespace constellation::cluster {
class ClusterService;
class NodeRpc;
}  // namespace constellation::cluster
namespace constellation::consensus {
class StateMachine;
class RaftLog;
class LeaseManager;
struct ActingChange;
}  // namespace constellation::consensus
namespace constellation::discovery {
class DiscoveryService;
struct FetchOptions;
struct Discovered;
}  // namespace constellation::discovery
namespace constellation::docker {
class DockerMonitor;
}
namespace constellation::health {
class EgressMonitor;
class CheckMonitor;
}  // namespace constellation::health

namespace constellation::agent {

class VoterManager;

class NodeAgent {
 public:
  /// `args` are the command-line flags, kept so a reload re-reads the same sources.
  NodeAgent(config::Loaded loaded, std::vector<std::string> args);
  ~NodeAgent();

  /// Starts everything, runs until stopped. Errors name the subsystem that failed.
  Status run();

  /// Journals an event (node and time filled in) and broadcasts it once stored.
  void publish(Event event, std::function<void(Result<Event>)> done = {});
  /// Re-reads configuration and applies the reloadable options; nothing is applied if the
  /// new configuration is invalid. Returns {"changed":[...],"restart_required":[...]}.
  Result<nlohmann::json> reload(std::string_view actor);
  nlohmann::json status() const;
  std::vector<std::string> health_problems() const;
  /// This node's service records: its containers' and its declared checks' (gossip's input).
  std::vector<cluster::ServiceRecord> local_records() const;

  // ---- consensus (node_consensus.cpp, node_propose.cpp) ----
  /// Proposes `command` to the consensus group from this node: on the leader into raft, on a
  /// follower forwarded to the leader's node over node RPC; with no leader known it waits
  /// (re-checking on every raft status change) up to raft_propose_timeout, then fails with
  /// `unavailable` "no raft leader after 5s: <why>". A leader lost or silent mid-flight gives
  /// `unavailable` "unknown outcome" (re-read before retrying; the FSM dedupes command ids).
  /// `done` runs exactly once on the loop thread with the FSM's encoded result or an Error.
  void propose(consensus::Command command, std::function<void(Result<std::string>)> done);
  /// Lease candidates from gossip (constellation agents only) and cordons from the replica.
  std::vector<consensus::Candidate> consensus_candidates() const;
  /// This process's monotonic clock in milliseconds, and the id that names it in lease
  /// records ("node/boot-random"): times from different clocks are never compared.
  static std::int64_t monotonic_ms();
  const std::string& clock_id() const { return clock_id_; }
  /// Hands raft leadership to `node` (nullopt: the best-priority live, caught-up voter other
  /// than this leader); `done` gets {"from","to","to_id","changed"}. Errors: unavailable on
  /// a non-leader (naming the leader) or without raft, not_found for a node that is not a
  /// raft member, invalid_argument for a standby. (node_voters.cpp)
  void transfer_leadership(std::optional<std::string> node,
                           std::function<void(Result<nlohmann::json>)> done,
                           std::string actor = "api");

  // ---- leases (node_leases.cpp) ----
  /// The configured leases (name, capability, TTL).
  std::vector<consensus::LeaseSpec> lease_specs() const;
  /// This node's acting state under `lease` for GET /api/v1/leases/{name}'s "acting" field:
  /// {"may_act","acting_until_in_ms","token"}, or null when this node does not hold it.
  nlohmann::json lease_acting_json(const std::string& lease) const;
  /// Whether side effects under `lease` (binding ports, writing DNS) are allowed right now.
  bool lease_may_act(const std::string& lease) const;

 private:
  Status start_journal();
  Status start_api();
  Status start_gossip();
  cluster::NodeMeta local_meta() const;
  Status start_discovery();
  discovery::FetchOptions fetch_options() const;
  Result<discovery::AdvertiseChoice> choose_advertise_address() const;
  void join_discovered(const discovery::Discovered& found);
  Status start_docker();
  Status start_egress();
  Status start_checks();
  /// Called when the Docker monitor's or the checks' records change.
  void local_records_changed();
  void refresh_journal_stats();
  /// The API's restart route: DockerMonitor::restart as a coroutine.
  asio::awaitable<Result<nlohmann::json>> restart_container(std::string name, std::string actor);
  // ---- node RPC (node_rpc.cpp) ----
  /// Creates the RPC endpoint on the cluster service and registers this node's methods.
  void start_node_rpc();
  /// Calls `method` on `node`'s agent; `done` runs once on the loop thread. not_found naming
  /// the known nodes for an unknown one, unavailable for a dead one, timeout after `timeout`.
  void call_node(const std::string& node, std::string method, nlohmann::json params,
                 std::chrono::milliseconds timeout,
                 std::function<void(Result<nlohmann::json>)> done);
  asio::awaitable<Result<nlohmann::json>> call_node_async(std::string node, std::string method,
                                                          nlohmann::json params);
  void arm_rpc_timer();
  /// A proposal on its way to raft (node_propose.cpp).
  struct PendingProposal {
    consensus::Command command;
    int hops = 0;  ///< how many nodes forwarded it already
    std::chrono::steady_clock::time_point deadline;
    std::chrono::milliseconds budget{};  ///< deadline - start, for the error message
    std::function<void(Result<std::string>)> done;
  };
  void propose_within(PendingProposal proposal);
  void retry_waiting_proposals();
  void arm_proposal_timer();
  void fail_waiting_proposals(const std::string& why);
  void serve_raft_propose(const nlohmann::json& params,
                          std::function<void(Result<nlohmann::json>)> reply);

  Status start_consensus();  // node_consensus.cpp
  void wire_consensus_api(api::ApiContext& context);
  void stop_consensus();
  void refresh_consensus_mirror();
  /// "host:port" of this node's raft server as peers reach it ("" when raft is off).
  std::string raft_advertised_address() const;
  void wire_consensus_ops(api::ApiContext& context);  // node_consensus_ops.cpp
  void start_consensus_events();                      // node_consensus_events.cpp
  std::vector<std::string> member_names() const;
  std::map<std::uint64_t, std::string> raft_node_names() const;  ///< raft id -> gossip name
  Status start_leases();                                         // node_leases.cpp
  void update_leases();
  void schedule_lease_tick();
  void lease_acting_changed(const consensus::ActingChange& change);
  /// Releases held leases, then calls `done` (at most ~1 s later).
  void stop_leases(std::function<void()> done);

  config::Loaded loaded_;
  std::vector<std::string> args_;
  runtime::Runtime runtime_;
  std::unique_ptr<journal::JournalService> journal_;
  std::unique_ptr<api::ApiServer> api_;
  std::unique_ptr<gossip::GossipService> gossip_;
  std::unique_ptr<cluster::ClusterService> cluster_;
  std::unique_ptr<discovery::DiscoveryService> discovery_;
  std::unique_ptr<docker::DockerMonitor> docker_;  ///< null when the docker option is off
  std::unique_ptr<health::EgressMonitor> egress_;  ///< public IP and WARP checks
  std::unique_ptr<health::CheckMonitor> checks_;   ///< config-declared http/tcp services
  std::map<std::string, std::uint64_t> gossip_drops_reported_;  ///< for the counter's deltas
  nlohmann::json journal_stats_ = nlohmann::json::object();
  std::optional<std::string> journal_error_;
  std::int64_t started_at_ms_ = 0;
  std::string advertised_host_;  ///< gossip's advertised host; raft's when it binds a wildcard
  /// Raft's state machine lives on the raft thread; the API reads this loop-thread copy,
  /// refreshed from a snapshot whenever the replica applied something.
  std::unique_ptr<consensus::StateMachine> raft_fsm_;
  std::unique_ptr<consensus::StateMachine> raft_mirror_;
  std::unique_ptr<consensus::RaftLog> raft_;
  std::unique_ptr<VoterManager> voters_;  ///< node_voters.hpp; acts only on the leader
  std::unique_ptr<consensus::AppliedEventJournal> applied_events_;  ///< FSM changes -> publish()
  std::uint64_t mirrored_index_ = 0;
  std::string clock_id_;
  bool mirror_refreshing_ = false;
  std::unique_ptr<cluster::NodeRpc> rpc_;
  std::unique_ptr<asio::steady_timer> rpc_timer_, proposal_timer_;
  std::vector<PendingProposal> waiting_proposals_;  ///< no usable leader yet
  std::unique_ptr<consensus::LeaseManager> leases_;
  std::unique_ptr<asio::steady_timer> lease_timer_;
  int lease_history_fd_ = -1;  ///< DATA_DIR/lease-history.ndjson, append-only
};

}  // namespace constellation::agent
