// route_proposal: the leader proposes itself, a follower forwards to the live member whose
// raft id is the leader's, and everything else waits — or, out of hops, is refused.
#include <gtest/gtest.h>

#include "agent/consensus/proposal_route.hpp"

namespace constellation::consensus {
namespace {

using Action = ProposalRoute::Action;
const std::vector<PeerId> kPeers{{.node = "a", .raft_id = 11}, {.node = "b", .raft_id = 22}};

LogStatus status(Role role, std::uint64_t leader) {
  LogStatus s;
  s.id = 33;
  s.role = role;
  s.leader_id = leader;
  return s;
}

TEST(ProposalRoute, TheLeaderProposesHereWhateverTheHops) {
  EXPECT_EQ(route_proposal(status(Role::leader, 33), kPeers, 0).action, Action::propose_here);
  EXPECT_EQ(route_proposal(status(Role::leader, 33), kPeers, kMaxProposalHops).action,
            Action::propose_here);
}

TEST(ProposalRoute, AFollowerForwardsToTheNodeWhoseRaftIdLeads) {
  auto route = route_proposal(status(Role::follower, 22), kPeers, 0);
  EXPECT_EQ(route.action, Action::forward);
  EXPECT_EQ(route.node, "b");
  EXPECT_EQ(route_proposal(status(Role::follower, 11), kPeers, 1).node, "a");
}

TEST(ProposalRoute, WaitsWithoutALeaderOrWhenTheLeaderIsNoLiveMember) {
  EXPECT_EQ(route_proposal(status(Role::follower, 0), kPeers, 0).action, Action::wait);
  EXPECT_EQ(route_proposal(status(Role::candidate, 0), kPeers, 0).action, Action::wait);
  EXPECT_EQ(route_proposal(status(Role::follower, 99), kPeers, 0).action, Action::wait);
  EXPECT_EQ(route_proposal(status(Role::follower, 33), kPeers, 0).action, Action::wait);
}

TEST(ProposalRoute, ANonLeaderOutOfHopsRefusesInsteadOfForwardingAgain) {
  EXPECT_EQ(route_proposal(status(Role::follower, 22), kPeers, kMaxProposalHops).action,
            Action::refuse);
  EXPECT_EQ(route_proposal(status(Role::follower, 0), kPeers, kMaxProposalHops).action,
            Action::refuse);
}

}  // namespace
}  // namespace constellation::consensus
