// route_proposal (proposal_route.hpp).
#include "agent/consensus/proposal_route.hpp"

namespace constellation::consensus {

ProposalRoute route_proposal(const LogStatus& status, const std::vector<PeerId>& live_peers,
                             int hops) {
  using Action = ProposalRoute::Action;
  if (status.role == Role::leader) return {.action = Action::propose_here, .node = {}};
  if (hops >= kMaxProposalHops) return {.action = Action::refuse, .node = {}};
  // Our own id as "leader" while we are not leading is a stale view: wait for the news.
  if (status.leader_id == 0 || status.leader_id == status.id)
    return {.action = Action::wait, .node = {}};
  for (const PeerId& peer : live_peers)
    if (peer.raft_id == status.leader_id) return {.action = Action::forward, .node = peer.node};
  return {.action = Action::wait, .node = {}};  // leader not (yet) a live gossip member
}

}  // namespace constellation::consensus
