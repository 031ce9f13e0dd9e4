// Where a proposal goes from this node: into raft here (we lead), forwarded to the leader's
// node (found by its raft id among live gossip members), or held until a leader is known.
// A pure decision so the forwarding rules are tested without raft or sockets; NodeAgent
// (node_propose.cpp) carries it out and bounds the wait with raft_propose_timeout.
//
// Threading: pure. Failure: none; "refuse" is a decision, the caller words the error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agent/consensus/log.hpp"

namespace constellation::consensus {

/// A forwarded proposal may be forwarded once more (the leader changed while it travelled);
/// beyond that the receiver only proposes if it leads, so a stale view cannot loop.
inline constexpr int kMaxProposalHops = 2;

/// A live gossip member and the raft id its name maps to (raft_id_for).
struct PeerId {
  std::string node{};
  std::uint64_t raft_id{};
};

struct ProposalRoute {
  enum class Action {
    propose_here,  ///< we are the leader
    forward,       ///< send to `node`, the leader
    wait,          ///< no usable leader yet: re-decide on the next raft status change
    refuse,        ///< not the leader and out of hops: tell the sender to re-decide
  };
  Action action = Action::wait;
  std::string node{};  ///< for forward
};

/// Decides for a proposal that has already travelled `hops` hops (0 = made here).
ProposalRoute route_proposal(const LogStatus& status, const std::vector<PeerId>& live_peers,
                             int hops);

}  // namespace constellation::consensus
