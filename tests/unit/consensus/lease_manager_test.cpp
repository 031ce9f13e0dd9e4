// The lease engine without raft: a real StateMachine stands in for the replicated state and
// proposals queue until the test commits them (or fails them), so each step of the leader
// and holder sides can be observed: grants, first windows, renewals, stops, refusals,
// cordon hand-overs, a new leader's full-TTL wait and release on shutdown.
#include "agent/consensus/lease_manager.hpp"

#include <memory>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace constellation::consensus {
namespace {

constexpr std::int64_t kTtl = 1200, kMargin = 120;
const LeaseSpec kLb{.name = "lb-leader", .capability = "lb", .ttl_ms = kTtl};

struct World {
  std::int64_t now = 1'000'000;
  StateMachine sm;
  std::vector<std::pair<Command, LeaseManager::ProposeDone>> queue;
  std::vector<ActingChange> changes;
  std::vector<Candidate> candidates{
      Candidate{.node = "a", .healthy = true, .priority = 10, .capabilities = {"lb"}},
      Candidate{.node = "b", .healthy = true, .priority = 20, .capabilities = {"lb"}}};

  std::unique_ptr<LeaseManager> manager(std::string node) {
    return std::make_unique<LeaseManager>(
        LeaseManagerOptions{.node = std::move(node), .clock = "c1", .leases = {kLb}},
        [this] { return now; },
        [this](Command c, LeaseManager::ProposeDone done) {
          queue.emplace_back(std::move(c), std::move(done));
        },
        [this](const ActingChange& change) { changes.push_back(change); });
  }
  LeaseInputs inputs(Role role = Role::follower) {
    return LeaseInputs{.replica = &sm,
                       .candidates = candidates,
                       .role = role,
                       .ready = role == Role::leader,
                       .term = 3};
  }
  /// Commits every queued proposal in order (as raft would) and completes it.
  void commit_all() {
    auto pending = std::move(queue);
    queue.clear();
    for (auto& [command, done] : pending) done(encode_result(sm.apply_command(command)));
  }
  void fail_all() {
    auto pending = std::move(queue);
    queue.clear();
    for (auto& [command, done] : pending) done(fail(ErrorCode::unavailable, "no quorum"));
  }
  void grant_directly(const std::string& holder) {
    ASSERT_TRUE(sm.apply_command(LeaseGrant{.id = "g-" + holder + std::to_string(now),
                                            .lease = "lb-leader",
                                            .holder = holder,
                                            .ttl_ms = kTtl,
                                            .now_ms = now,
                                            .clock = "other"}));
  }
};

TEST(LeaseManager, LeaderGrantsAFreeLeaseToItselfAndActsFromItsRequestTime) {
  World w;
  auto m = w.manager("a");
  m->update(w.inputs(Role::leader));
  ASSERT_EQ(w.queue.size(), 1u);
  const auto* grant = std::get_if<LeaseGrant>(&w.queue[0].first);
  ASSERT_NE(grant, nullptr);
  EXPECT_EQ(grant->holder, "a");
  EXPECT_FALSE(m->may_act("lb-leader"));
  const std::int64_t requested = w.now;
  w.now += 5;
  w.commit_all();
  EXPECT_TRUE(m->may_act("lb-leader"));
  EXPECT_EQ(m->token("lb-leader"), 1u);
  ASSERT_EQ(w.changes.size(), 1u);
  EXPECT_EQ(w.changes[0].kind, ActingChange::Kind::started);
  EXPECT_EQ(w.changes[0].until_ms, requested + kTtl - kMargin);
  EXPECT_EQ(m->acting_json("lb-leader")["token"], 1);
}

TEST(LeaseManager, HolderThatLearnsItsGrantFromTheReplicaActsOnlyAfterItsOwnRenewalCommits) {
  World w;
  w.grant_directly("b");
  auto m = w.manager("b");
  m->update(w.inputs());
  EXPECT_FALSE(m->may_act("lb-leader"));
  EXPECT_EQ(m->acting_json("lb-leader")["may_act"], false);
  ASSERT_EQ(w.queue.size(), 1u);
  ASSERT_NE(std::get_if<LeaseRenew>(&w.queue[0].first), nullptr);
  const std::int64_t sent = w.now;
  w.now += 3;
  w.commit_all();
  EXPECT_TRUE(m->may_act("lb-leader"));
  ASSERT_EQ(w.changes.size(), 1u);
  EXPECT_EQ(w.changes[0].from_ms, w.now);
  EXPECT_EQ(w.changes[0].until_ms, sent + kTtl - kMargin);
}

TEST(LeaseManager, HolderRenewsAtATtlThirdAndReportsTheExtendedWindow) {
  World w;
  w.grant_directly("b");
  auto m = w.manager("b");
  m->update(w.inputs());
  w.commit_all();
  w.now += kTtl / 3 - 1;
  m->update(w.inputs());
  EXPECT_TRUE(w.queue.empty()) << "renewed before TTL/3";
  w.now += 1;
  m->update(w.inputs());
  ASSERT_EQ(w.queue.size(), 1u);
  w.commit_all();
  ASSERT_EQ(w.changes.size(), 2u);
  EXPECT_EQ(w.changes[1].kind, ActingChange::Kind::extended);
  EXPECT_EQ(w.changes[1].from_ms, w.changes[0].from_ms);
  EXPECT_EQ(w.changes[1].until_ms, w.now + kTtl - kMargin);
}

TEST(LeaseManager, HolderStopsActingWhenItCannotRenewAndSaysWhy) {
  World w;
  w.grant_directly("b");
  auto m = w.manager("b");
  m->update(w.inputs());
  w.commit_all();
  const std::int64_t until = w.changes.back().until_ms;
  while (w.now < until + 10) {
    w.now += kTtl / 10;
    m->update(w.inputs());
    w.fail_all();
  }
  EXPECT_FALSE(m->may_act("lb-leader"));
  ASSERT_EQ(w.changes.back().kind, ActingChange::Kind::stopped);
  EXPECT_EQ(w.changes.back().until_ms, until) << "acting ends at the window's bound";
  EXPECT_NE(w.changes.back().reason.find("could not renew"), std::string::npos)
      << w.changes.back().reason;
  EXPECT_EQ(m->token("lb-leader"), 1u) << "it keeps trying to renew";
}

TEST(LeaseManager, RefusedRenewalDropsTheLeaseForGood) {
  World w;
  w.grant_directly("b");
  auto m = w.manager("b");
  m->update(w.inputs());
  w.commit_all();
  // The lease moved, but this node's replica has not caught up: its renewal is refused.
  StateMachine stale;
  ASSERT_TRUE(stale.restore(w.sm.snapshot()));
  ASSERT_TRUE(w.sm.apply_command(LeaseRelease{
      .id = "r1", .lease = "lb-leader", .holder = "b", .token = 1, .now_ms = w.now, .clock = "x"}));
  w.grant_directly("a");
  w.now += kTtl / 3;
  LeaseInputs in = w.inputs();
  in.replica = &stale;
  m->update(in);
  ASSERT_EQ(w.queue.size(), 1u);
  w.commit_all();
  EXPECT_NE(w.changes.back().reason.find("refused"), std::string::npos) << w.changes.back().reason;
  m->update(in);
  EXPECT_TRUE(w.queue.empty()) << "a refused lease is not adopted again from a stale replica";
  EXPECT_FALSE(m->may_act("lb-leader"));
  EXPECT_EQ(m->token("lb-leader"), 0u);
  EXPECT_EQ(w.changes.back().kind, ActingChange::Kind::stopped);
}

TEST(LeaseManager, CordonedHolderStopsAndReleasesItsLease) {
  World w;
  w.grant_directly("b");
  auto m = w.manager("b");
  m->update(w.inputs());
  w.commit_all();
  ASSERT_TRUE(w.sm.apply_command(
      CordonNode{.id = "c1", .node = "b", .reason = "disk", .actor = "op", .at_unix_ms = 1}));
  m->update(w.inputs());
  EXPECT_FALSE(m->may_act("lb-leader"));
  EXPECT_NE(w.changes.back().reason.find("cordoned"), std::string::npos);
  ASSERT_EQ(w.queue.size(), 1u);
  ASSERT_NE(std::get_if<LeaseRelease>(&w.queue[0].first), nullptr);
  w.commit_all();
  EXPECT_EQ(w.sm.lease("lb-leader")->holder, "");
}

TEST(LeaseManager, NewLeaderWaitsAFullTtlBeforeTakingOverFromASilentHolder) {
  World w;
  w.grant_directly("b");
  w.candidates[1].healthy = false;  // b is gone
  auto m = w.manager("a");
  const std::int64_t elected = w.now;
  m->update(w.inputs(Role::leader));
  for (; w.now < elected + kTtl; w.now += kTtl / 10) {
    m->update(w.inputs(Role::leader));
    EXPECT_TRUE(w.queue.empty()) << "granted " << w.now - elected << " ms after election";
  }
  m->update(w.inputs(Role::leader));
  ASSERT_EQ(w.queue.size(), 1u);
  const auto* grant = std::get_if<LeaseGrant>(&w.queue[0].first);
  ASSERT_NE(grant, nullptr);
  EXPECT_EQ(grant->holder, "a");
  EXPECT_TRUE(grant->expect_revision.has_value());
  w.commit_all();
  EXPECT_EQ(w.sm.lease("lb-leader")->token, 2u);
  EXPECT_TRUE(m->may_act("lb-leader"));
}

TEST(LeaseManager, OneLeaderProposalPerLeaseIsInFlight) {
  World w;
  auto m = w.manager("a");
  m->update(w.inputs(Role::leader));
  m->update(w.inputs(Role::leader));
  EXPECT_EQ(w.queue.size(), 1u);
}

TEST(LeaseManager, ReleaseAllStopsActingAndHandsTheLeasesBack) {
  World w;
  auto m = w.manager("a");
  m->update(w.inputs(Role::leader));
  w.commit_all();
  ASSERT_TRUE(m->may_act("lb-leader"));
  bool released = false;
  m->release_all([&] { released = true; });
  EXPECT_FALSE(m->may_act("lb-leader"));
  EXPECT_EQ(w.changes.back().kind, ActingChange::Kind::stopped);
  EXPECT_FALSE(released);
  w.commit_all();
  EXPECT_TRUE(released);
  EXPECT_EQ(w.sm.lease("lb-leader")->holder, "");
  m->update(w.inputs(Role::leader));
  EXPECT_TRUE(w.queue.empty()) << "a stopping node grants nothing";
}

TEST(LeaseManager, NextDueIsTheNextRenewal) {
  World w;
  auto m = w.manager("a");
  m->update(w.inputs(Role::leader));
  const std::int64_t requested = w.now;
  w.commit_all();
  ASSERT_TRUE(m->next_due_ms());
  EXPECT_EQ(*m->next_due_ms(), requested + kTtl / 3);
  EXPECT_EQ(m->tick_period_ms(), kTtl / 10);
}

}  // namespace
}  // namespace constellation::consensus
