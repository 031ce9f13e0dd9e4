// VoterManager: on the raft leader, turns gossip's view of the nodes and raft's configuration
// into the voter plan's next change (consensus/voter_plan.hpp) and executes it, one change at
// a time, every second and whenever gossip reports a member change. Followers do nothing: a
// node started with raft but without --bootstrap and without state waits to be added.
//
// Ownership: borrows the io_context and the RaftLog (both outlive it; the agent stops it
// before stopping raft). Threading: the agent's loop thread only. Failure: a change that
// fails is logged and retried after a back-off; nothing is journaled until it committed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/cluster/cluster_service.hpp"
#include "agent/consensus/raft_log.hpp"
#include "agent/consensus/voter_plan.hpp"
#include "shared/asio.hpp"
#include "shared/error.hpp"
#include "shared/event.hpp"

namespace constellation::agent {

class VoterManager {
 public:
  using Members = std::function<std::vector<cluster::MemberInfo>()>;
  using Publish = std::function<void(Event)>;
  struct Options {
    int desired_voters = consensus::kDefaultVoters;
    std::chrono::milliseconds grace = consensus::kDefaultDeadVoterGrace;
    std::chrono::milliseconds period{1000};
  };

  VoterManager(asio::io_context& io, consensus::RaftLog& raft, Members members, Publish publish,
               Options options);
  VoterManager(const VoterManager&) = delete;
  VoterManager& operator=(const VoterManager&) = delete;

  /// Starts the periodic planning.
  void start();
  /// Cancels the timer; a change already handed to raft still completes (and is ignored).
  void stop();
  /// Plans again soon (a gossip member changed).
  void nudge();
  /// Hands leadership to `node` (nullopt: the best-priority live, caught-up voter other than
  /// this leader). Errors: unavailable when this node is not the leader (naming the leader),
  /// not_found for a node that is not a raft member, invalid_argument for a non-voter.
  /// `done` gets {"from","to","to_id"} once raft reports the transfer.
  void transfer_leadership(std::optional<std::string> node, std::string actor,
                           std::function<void(Result<nlohmann::json>)> done);
  /// The plan input as the leader sees it now (exposed for diagnostics and tests).
  consensus::PlanInput plan_input();

 private:
  void schedule(std::chrono::milliseconds after);
  void tick();
  void execute(const consensus::VoterChange& change);
  void finished(const consensus::VoterChange& change, const Status& status);
  std::string name_of(std::uint64_t id) const;

  asio::io_context& io_;
  consensus::RaftLog& raft_;
  Members members_;
  Publish publish_;
  Options options_;
  asio::steady_timer timer_;
  bool running_ = false;
  bool busy_ = false;  ///< a change is in flight: libraft takes one at a time
  std::chrono::steady_clock::time_point retry_after_{};
  /// Raft servers gossip does not know (reaped, or never seen): since when, on this leader.
  std::map<std::uint64_t, std::chrono::steady_clock::time_point> missing_since_;
  std::map<std::uint64_t, std::string> names_;  ///< raft id -> node name, from gossip
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace constellation::agent
