// The voter plan's decisions: who is added, promoted, demoted, removed and who leads, one
// change at a time, and what it refuses to do (remove without quorum, reshuffle equals).
#include "agent/consensus/voter_plan.hpp"

#include <gtest/gtest.h>

using namespace constellation::consensus;
using namespace std::chrono_literals;

namespace {

/// A cluster description: node n<i> has raft id i.
struct Cluster {
  PlanInput in;

  Cluster& node(std::uint64_t id, int priority, bool live = true, std::int64_t down_ms = 0) {
    in.nodes.push_back(PlanNode{.name = "n" + std::to_string(id),
                                .raft_id = id,
                                .raft_address = "127.0.0.1:" + std::to_string(9000 + id),
                                .live = live,
                                .down_for_ms = down_ms,
                                .priority = priority});
    return *this;
  }
  Cluster& server(std::uint64_t id, ServerRole role, bool caught_up = true) {
    in.servers.push_back(Member{.id = id,
                                .address = "127.0.0.1:" + std::to_string(9000 + id),
                                .voter = role == ServerRole::voter,
                                .role = role,
                                .caught_up = caught_up});
    return *this;
  }
  Cluster& leader(std::uint64_t id) {
    in.leader_id = id;
    return *this;
  }
  VoterChange next() const { return next_voter_change(in); }
};

/// Applies changes until the plan is done (at most `limit`), as the leader would.
std::vector<VoterChange> converge(Cluster& c, int limit = 20) {
  std::vector<VoterChange> steps;
  for (int i = 0; i < limit; ++i) {
    VoterChange ch = c.next();
    if (ch.kind == ChangeKind::none) return steps;
    steps.push_back(ch);
    auto it = std::find_if(c.in.servers.begin(), c.in.servers.end(),
                           [&](const Member& m) { return m.id == ch.id; });
    switch (ch.kind) {
      case ChangeKind::add_standby:
        if (it == c.in.servers.end())
          c.server(ch.id, ServerRole::standby);
        else
          it->role = ServerRole::standby;
        break;
      case ChangeKind::promote:
        it->role = ServerRole::voter;
        it->voter = true;
        break;
      case ChangeKind::demote:
        it->role = ServerRole::standby;
        it->voter = false;
        break;
      case ChangeKind::remove:
        c.in.servers.erase(it);
        break;
      case ChangeKind::transfer_leadership:
        c.in.leader_id = ch.id;
        break;
      case ChangeKind::none:
        break;
    }
  }
  ADD_FAILURE() << "the plan did not converge in " << limit << " steps";
  return steps;
}

std::vector<std::uint64_t> ids_with(const Cluster& c, ServerRole role) {
  std::vector<std::uint64_t> out;
  for (const Member& m : c.in.servers)
    if (m.role == role) out.push_back(m.id);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(VoterPlan, SingleBootstrappedLeaderWithNoPeersHasNothingToDo) {
  Cluster c;
  c.node(1, 10).server(1, ServerRole::voter).leader(1);
  EXPECT_EQ(c.next().kind, ChangeKind::none);
}

TEST(VoterPlan, AddsANodeSeenInGossipAsStandby) {
  Cluster c;
  c.node(1, 10).node(2, 20).server(1, ServerRole::voter).leader(1);
  auto ch = c.next();
  EXPECT_EQ(ch.kind, ChangeKind::add_standby);
  EXPECT_EQ(ch.id, 2u);
  EXPECT_EQ(ch.address, "127.0.0.1:9002");
  EXPECT_NE(ch.reason.find("adding it as a standby"), std::string::npos) << ch.reason;
}

TEST(VoterPlan, IgnoresNodesWithoutRaftAndDeadNodesNotInTheConfiguration) {
  Cluster c;
  c.node(1, 10).node(2, 20, false, 100'000).server(1, ServerRole::voter).leader(1);
  c.in.nodes.push_back(PlanNode{.name = "serf", .raft_id = 7, .live = true, .priority = 1});
  EXPECT_EQ(c.next().kind, ChangeKind::none);
}

TEST(VoterPlan, TwoNodesKeepOneVoterBecauseEvenCountsDoNotHelp) {
  Cluster c;
  c.node(1, 10).node(2, 20).server(1, ServerRole::voter).server(2, ServerRole::standby).leader(1);
  EXPECT_EQ(c.next().kind, ChangeKind::none);
}

TEST(VoterPlan, PromotesTheBestStandbysUntilThreeVote) {
  Cluster c;
  c.node(1, 10).node(2, 40).node(3, 20).node(4, 30);
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::standby)
      .server(3, ServerRole::standby)
      .server(4, ServerRole::standby)
      .leader(1);
  auto ch = c.next();
  EXPECT_EQ(ch.kind, ChangeKind::promote);
  EXPECT_EQ(ch.id, 3u);
  converge(c);
  EXPECT_EQ(ids_with(c, ServerRole::voter), (std::vector<std::uint64_t>{1, 3, 4}));
  EXPECT_EQ(ids_with(c, ServerRole::standby), (std::vector<std::uint64_t>{2}));
}

TEST(VoterPlan, FiveJoiningNodesEndWithTheThreeBestVotingAndTheBestLeading) {
  // Bootstrapped by a middling node; the others appear in gossip in a bad order.
  Cluster c;
  c.node(1, 30).node(2, 50).node(3, 40).node(4, 20).node(5, 10);
  c.server(1, ServerRole::voter).leader(1);
  auto steps = converge(c);
  EXPECT_EQ(ids_with(c, ServerRole::voter), (std::vector<std::uint64_t>{1, 4, 5}));
  EXPECT_EQ(ids_with(c, ServerRole::standby), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(c.in.leader_id, 5u);
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps.back().kind, ChangeKind::transfer_leadership);
}

TEST(VoterPlan, FiveDesiredVotersUseFiveOfSixNodes) {
  Cluster c;
  c.in.desired_voters = 5;
  for (std::uint64_t i = 1; i <= 6; ++i) c.node(i, static_cast<int>(i * 10));
  c.server(6, ServerRole::voter).leader(6);
  converge(c);
  EXPECT_EQ(ids_with(c, ServerRole::voter), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(ids_with(c, ServerRole::standby), (std::vector<std::uint64_t>{6}));
  EXPECT_EQ(c.in.leader_id, 1u);
}

TEST(VoterPlan, FourNodesWithFiveDesiredKeepThreeVoters) {
  Cluster c;
  c.in.desired_voters = 5;
  for (std::uint64_t i = 1; i <= 4; ++i) c.node(i, static_cast<int>(i * 10));
  c.server(1, ServerRole::voter).leader(1);
  converge(c);
  EXPECT_EQ(ids_with(c, ServerRole::voter), (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST(VoterPlan, ASpareIsMadeAStandby) {
  Cluster c;
  c.node(1, 10).node(2, 20).server(1, ServerRole::voter).server(2, ServerRole::spare).leader(1);
  auto ch = c.next();
  EXPECT_EQ(ch.kind, ChangeKind::add_standby);
  EXPECT_EQ(ch.id, 2u);
}

TEST(VoterPlan, DeadVoterWithinGraceChangesNothing) {
  Cluster c;
  c.node(1, 10).node(2, 20).node(3, 30, false, 29'000).node(4, 40);
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::voter)
      .server(3, ServerRole::voter)
      .server(4, ServerRole::standby)
      .leader(1);
  EXPECT_EQ(c.next().kind, ChangeKind::none);
}

TEST(VoterPlan, DeadVoterPastGraceIsReplacedByAStandbyThenRemoved) {
  Cluster c;
  c.node(1, 10).node(2, 20).node(3, 30, false, 31'000).node(4, 40).node(5, 50);
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::voter)
      .server(3, ServerRole::voter)
      .server(4, ServerRole::standby)
      .server(5, ServerRole::standby)
      .leader(1);
  auto first = c.next();
  EXPECT_EQ(first.kind, ChangeKind::promote);
  EXPECT_EQ(first.id, 4u);
  auto steps = converge(c);
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(steps[1].kind, ChangeKind::remove);
  EXPECT_EQ(steps[1].id, 3u);
  EXPECT_NE(steps[1].reason.find("has been down for 31.0 s (grace 30.0 s)"), std::string::npos)
      << steps[1].reason;
  EXPECT_EQ(ids_with(c, ServerRole::voter), (std::vector<std::uint64_t>{1, 2, 4}));
}

TEST(VoterPlan, GracePeriodComesFromTheInput) {
  Cluster c;
  c.in.grace = 2s;
  c.node(1, 10).node(2, 20).node(3, 30, false, 2'500).node(4, 40);
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::voter)
      .server(3, ServerRole::voter)
      .server(4, ServerRole::standby)
      .leader(1);
  EXPECT_EQ(c.next().kind, ChangeKind::promote);
}

TEST(VoterPlan, NeverRemovesADeadVoterWhenTheRestWouldLackAQuorum) {
  // 3 voters, 2 of them dead past the grace: removing one leaves 2 voters with 1 live.
  Cluster c;
  c.node(1, 10).node(2, 20, false, 60'000).node(3, 30, false, 60'000);
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::voter)
      .server(3, ServerRole::voter)
      .leader(1);
  EXPECT_EQ(c.next().kind, ChangeKind::none);
}

TEST(VoterPlan, DeadVoterWithoutAReplacementIsStillRemovedWhenQuorumHolds) {
  Cluster c;
  c.node(1, 10).node(2, 20).node(3, 30, false, 60'000);
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::voter)
      .server(3, ServerRole::voter)
      .leader(1);
  auto ch = c.next();
  EXPECT_EQ(ch.kind, ChangeKind::remove);
  EXPECT_EQ(ch.id, 3u);
}

TEST(VoterPlan, AVoterGossipNoLongerKnowsIsRemovedAfterTheGrace) {
  // Gossip reaped the node; the leader reports it with the time since it noticed.
  Cluster c;
  c.node(1, 10).node(2, 20).node(4, 40);
  c.in.nodes.push_back(PlanNode{.name = "", .raft_id = 3, .live = false, .down_for_ms = 45'000});
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::voter)
      .server(3, ServerRole::voter)
      .server(4, ServerRole::standby)
      .leader(1);
  converge(c);
  EXPECT_EQ(ids_with(c, ServerRole::voter), (std::vector<std::uint64_t>{1, 2, 4}));
}

TEST(VoterPlan, DeadStandbyPastGraceIsRemoved) {
  Cluster c;
  c.node(1, 10).node(2, 20, false, 40'000);
  c.server(1, ServerRole::voter).server(2, ServerRole::standby).leader(1);
  auto ch = c.next();
  EXPECT_EQ(ch.kind, ChangeKind::remove);
  EXPECT_NE(ch.reason.find("standby n2"), std::string::npos) << ch.reason;
}

TEST(VoterPlan, BetterStandbyReplacesTheWorstVoterThenLeadershipMoves) {
  Cluster c;
  c.node(1, 20).node(2, 30).node(3, 40).node(4, 5);
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::voter)
      .server(3, ServerRole::voter)
      .server(4, ServerRole::standby)
      .leader(1);
  auto steps = converge(c);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].kind, ChangeKind::promote);
  EXPECT_EQ(steps[1].kind, ChangeKind::demote);
  EXPECT_EQ(steps[1].id, 3u);
  EXPECT_EQ(steps[2].kind, ChangeKind::transfer_leadership);
  EXPECT_EQ(steps[2].id, 4u);
}

TEST(VoterPlan, EqualPrioritiesNeverReshuffleVoters) {
  Cluster c;
  c.node(1, 10).node(2, 20).node(3, 20).node(4, 20);
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::standby)
      .server(3, ServerRole::voter)
      .server(4, ServerRole::voter)
      .leader(1);
  EXPECT_EQ(c.next().kind, ChangeKind::none);
}

TEST(VoterPlan, StandbyThatIsNotCaughtUpIsNotSwappedIn) {
  Cluster c;
  c.node(1, 10).node(2, 20).node(3, 30).node(4, 5);
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::voter)
      .server(3, ServerRole::voter)
      .server(4, ServerRole::standby, false)
      .leader(1);
  EXPECT_EQ(c.next().kind, ChangeKind::none);
}

TEST(VoterPlan, NoSwapWhileAVoterIsWithinItsGrace) {
  Cluster c;
  c.node(1, 10).node(2, 20).node(3, 30, false, 1'000).node(4, 5);
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::voter)
      .server(3, ServerRole::voter)
      .server(4, ServerRole::standby)
      .leader(1);
  EXPECT_EQ(c.next().kind, ChangeKind::none);
}

TEST(VoterPlan, ExtraVotersAreDemotedWorstFirstButNeverTheLeader) {
  Cluster c;
  c.node(1, 50).node(2, 20).node(3, 30).node(4, 40).node(5, 10);
  for (std::uint64_t i = 1; i <= 5; ++i) c.server(i, ServerRole::voter);
  c.leader(1);
  auto ch = c.next();
  EXPECT_EQ(ch.kind, ChangeKind::demote);
  EXPECT_EQ(ch.id, 4u);  // n1 is worse but leads
  converge(c);
  EXPECT_EQ(ids_with(c, ServerRole::voter), (std::vector<std::uint64_t>{2, 3, 5}));
  EXPECT_EQ(c.in.leader_id, 5u);
}

TEST(VoterPlan, LeadershipGoesOnlyToACaughtUpLiveVoter) {
  Cluster c;
  c.node(1, 30).node(2, 10, false, 500).node(3, 20);
  c.server(1, ServerRole::voter)
      .server(2, ServerRole::voter)
      .server(3, ServerRole::voter, false)
      .leader(1);
  EXPECT_EQ(c.next().kind, ChangeKind::none);
  c.in.servers[2].caught_up = true;
  auto ch = c.next();
  EXPECT_EQ(ch.kind, ChangeKind::transfer_leadership);
  EXPECT_EQ(ch.id, 3u);
}
