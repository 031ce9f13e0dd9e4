// Lease decisions: candidate choice, the leader's expiry measure (its own observation, a new
// leader waiting a full TTL), hand-over of cordoned or dead holders, and the holder's
// renew-at-TTL/3 and act-until-send+TTL−margin rules.
#include "agent/consensus/lease_logic.hpp"

#include <gtest/gtest.h>

namespace constellation::consensus {
namespace {

const LeaseSpec kLb{.name = "lb-leader", .capability = "lb", .ttl_ms = 3000};

Candidate node(std::string name, int priority, bool healthy = true, bool cordoned = false,
               std::set<std::string> caps = {"lb"}) {
  return Candidate{.node = std::move(name),
                   .healthy = healthy,
                   .cordoned = cordoned,
                   .priority = priority,
                   .capabilities = std::move(caps)};
}

LeaseRecord held_by(std::string holder, std::uint64_t revision = 4) {
  return LeaseRecord{.name = "lb-leader",
                     .holder = std::move(holder),
                     .token = 2,
                     .revision = revision,
                     .ttl_ms = 3000};
}

LeaderView view(std::int64_t now, std::int64_t since, std::optional<Observation> seen) {
  return LeaderView{.now_ms = now, .leader_since_ms = since, .observed = seen};
}

TEST(LeaseCandidates, PrefersLowestPriorityThenName) {
  EXPECT_EQ(best_candidate({node("c", 2), node("b", 1), node("a", 1)}, kLb), "a");
  EXPECT_EQ(best_candidate({node("z", 0), node("a", 1)}, kLb), "z");
}

TEST(LeaseCandidates, SkipsUnhealthyCordonedAndIncapableNodes) {
  std::vector<Candidate> all{node("a", 0, false), node("b", 0, true, true),
                             node("c", 0, true, false, {"dns"}), node("d", 9)};
  EXPECT_EQ(best_candidate(all, kLb), "d");
  EXPECT_EQ(*ineligibility(all[0], kLb), "a is not healthy in gossip");
  EXPECT_EQ(*ineligibility(all[1], kLb), "b is cordoned");
  EXPECT_EQ(*ineligibility(all[2], kLb), "c lacks the capability lb");
  EXPECT_FALSE(ineligibility(all[3], kLb));
}

TEST(LeaseCandidates, EmptyCapabilityAcceptsAnyNode) {
  LeaseSpec any{.name = "x", .capability = "", .ttl_ms = 1000};
  EXPECT_EQ(best_candidate({node("a", 0, true, false, {})}, any), "a");
}

TEST(LeaderDecide, FreeLeaseIsGrantedToTheBestCandidate) {
  auto d = decide(kLb, nullptr, {node("b", 1), node("a", 2)}, view(0, 0, std::nullopt));
  EXPECT_EQ(d.action, LeaderAction::grant);
  EXPECT_EQ(d.to, "b");
  EXPECT_FALSE(d.expect_revision);
}

TEST(LeaderDecide, FreeLeaseWithNoCandidateExplainsWhy) {
  LeaseRecord free{.name = "lb-leader"};
  auto d =
      decide(kLb, &free, {node("a", 0, false), node("b", 0, true, true)}, view(0, 0, std::nullopt));
  EXPECT_EQ(d.action, LeaderAction::keep);
  EXPECT_EQ(d.reason,
            "lease lb-leader has no holder: no eligible candidate: a is not healthy in gossip; "
            "b is cordoned");
  auto none = decide(kLb, nullptr, {}, view(0, 0, std::nullopt));
  EXPECT_NE(none.reason.find("no candidate nodes are known"), std::string::npos);
}

TEST(LeaderDecide, HealthyHolderKeepsItsLeaseEvenIfABetterNodeAppears) {
  LeaseRecord r = held_by("b");
  auto d = decide(kLb, &r, {node("a", 0), node("b", 5)}, view(1000, 0, Observation{4, 900}));
  EXPECT_EQ(d.action, LeaderAction::keep);
}

TEST(LeaderDecide, DeadHolderIsReplacedOnlyAfterAFullTtlSinceTheLastRenewalSeen) {
  LeaseRecord r = held_by("a");
  std::vector<Candidate> c{node("a", 0, false), node("b", 1)};
  auto before = decide(kLb, &r, c, view(3999, 0, Observation{4, 1000}));
  EXPECT_EQ(before.action, LeaderAction::wait);
  EXPECT_EQ(before.wait_until_ms, 4000);
  auto after = decide(kLb, &r, c, view(4000, 0, Observation{4, 1000}));
  EXPECT_EQ(after.action, LeaderAction::grant);
  EXPECT_EQ(after.to, "b");
  EXPECT_EQ(after.expect_revision, 4u);
}

TEST(LeaderDecide, NewlyElectedLeaderWaitsAFullTtlFromItsElection) {
  LeaseRecord r = held_by("a");
  std::vector<Candidate> c{node("a", 0, false), node("b", 1)};
  // The renewal was seen long ago, but this node only became leader at 10000.
  auto early = decide(kLb, &r, c, view(12'000, 10'000, Observation{4, 100}));
  EXPECT_EQ(early.action, LeaderAction::wait);
  EXPECT_EQ(early.wait_until_ms, 13'000);
  auto late = decide(kLb, &r, c, view(13'000, 10'000, Observation{4, 100}));
  EXPECT_EQ(late.action, LeaderAction::grant);
}

TEST(LeaderDecide, RevisionNotYetObservedCountsFromNow) {
  LeaseRecord r = held_by("a", 9);
  std::vector<Candidate> c{node("a", 0, false), node("b", 1)};
  // The observation is of an older revision: a renewal just committed.
  auto d = decide(kLb, &r, c, view(50'000, 0, Observation{4, 100}));
  EXPECT_EQ(d.action, LeaderAction::wait);
  EXPECT_EQ(d.wait_until_ms, 53'000);
}

TEST(LeaderDecide, HealthyHolderThatStoppedRenewingIsExpiredNotKept) {
  LeaseRecord r = held_by("a");
  auto d = decide(kLb, &r, {node("a", 0), node("b", 1)}, view(9000, 0, Observation{4, 1000}));
  EXPECT_EQ(d.action, LeaderAction::expire);
  EXPECT_EQ(d.expect_revision, 4u);
}

TEST(LeaderDecide, ExpiredGrantWithNoCandidateIsExpiredWithAReason) {
  LeaseRecord r = held_by("a");
  auto d = decide(kLb, &r, {node("a", 0, false)}, view(9000, 0, Observation{4, 1000}));
  EXPECT_EQ(d.action, LeaderAction::expire);
  EXPECT_NE(d.reason.find("no renewal from a for 8000 ms"), std::string::npos) << d.reason;
}

TEST(LeaderDecide, CordonedHolderHandsOverAfterItsGrantRunsOut) {
  LeaseRecord r = held_by("a");
  std::vector<Candidate> c{node("a", 0, true, true), node("b", 1)};
  auto wait = decide(kLb, &r, c, view(2000, 0, Observation{4, 1000}));
  EXPECT_EQ(wait.action, LeaderAction::wait);
  EXPECT_NE(wait.reason.find("a is cordoned"), std::string::npos);
  auto go = decide(kLb, &r, c, view(4000, 0, Observation{4, 1000}));
  EXPECT_EQ(go.action, LeaderAction::grant);
  EXPECT_EQ(go.to, "b");
}

TEST(LeaderDecide, HolderUnknownToGossipIsTreatedAsIneligible) {
  LeaseRecord r = held_by("gone");
  auto d = decide(kLb, &r, {node("b", 1)}, view(2000, 0, Observation{4, 1000}));
  EXPECT_EQ(d.action, LeaderAction::wait);
  EXPECT_NE(d.reason.find("gone is not a known member"), std::string::npos);
}

TEST(LeaseObserverTest, NotesOnlyRevisionChanges) {
  LeaseObserver obs;
  std::map<std::string, LeaseRecord> leases{{"lb-leader", held_by("a", 4)}};
  obs.observe(leases, 100);
  obs.observe(leases, 500);
  EXPECT_EQ(obs.get("lb-leader")->seen_at_ms, 100);
  leases["lb-leader"].revision = 5;
  obs.observe(leases, 900);
  EXPECT_EQ(obs.get("lb-leader")->seen_at_ms, 900);
  EXPECT_EQ(obs.get("lb-leader")->revision, 5u);
  EXPECT_FALSE(obs.get("dns-writer"));
}

TEST(LeaseSafety, LeaderNeverGrantsWhileTheOldHolderMayStillAct) {
  // Sweep send times and commit delays: the leader's earliest re-grant must come after the
  // holder's acting deadline with the whole drift margin to spare.
  const HolderTiming t{.ttl_ms = 3000, .drift_margin_ms = 300};
  for (std::int64_t send = 0; send <= 2000; send += 250) {
    for (std::int64_t commit_delay = 0; commit_delay <= 1000; commit_delay += 100) {
      HolderClock holder(t);
      holder.granted(1, 0);
      holder.renewal_sent(send);
      holder.renewal_committed();
      LeaseRecord r = held_by("a");
      const std::int64_t seen = send + commit_delay;  // the leader sees the commit later
      std::vector<Candidate> c{node("a", 0, false), node("b", 1)};
      std::int64_t earliest = seen;
      while (decide(kLb, &r, c, view(earliest, 0, Observation{4, seen})).action !=
             LeaderAction::grant)
        ++earliest;
      // The leader's re-grant comes at least margin + commit delay after the holder stops:
      // that margin is what absorbs clock-rate differences between the two nodes.
      EXPECT_GE(earliest - holder.acting_until_ms(), t.drift_margin_ms + commit_delay)
          << "send " << send << " delay " << commit_delay;
    }
  }
}

TEST(HolderTimingTest, ValidatesMarginAgainstTtl) {
  EXPECT_TRUE(validate_timing({.ttl_ms = 3000, .drift_margin_ms = 300}));
  EXPECT_FALSE(validate_timing({.ttl_ms = 0, .drift_margin_ms = 1}));
  EXPECT_FALSE(validate_timing({.ttl_ms = 3000, .drift_margin_ms = 0}));
  auto big = validate_timing({.ttl_ms = 3000, .drift_margin_ms = 2000});
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::bad_config);
  EXPECT_NE(big.error().message.find("below 2/3 of the TTL"), std::string::npos);
}

TEST(HolderClockTest, GrantOpensTheWindowUntilRequestPlusTtlMinusMargin) {
  HolderClock h({.ttl_ms = 3000, .drift_margin_ms = 300});
  EXPECT_FALSE(h.may_act(0));
  h.granted(7, 1000);
  EXPECT_EQ(h.acting_until_ms(), 3700);
  auto step = h.tick(1000);
  EXPECT_TRUE(step.started);
  EXPECT_FALSE(step.send_renewal);
  EXPECT_TRUE(h.may_act(3699));
  EXPECT_FALSE(h.may_act(3700));
  EXPECT_EQ(h.token(), 7u);
}

TEST(HolderClockTest, RenewsAtATthirdOfTheTtlWithOneRenewalInFlight) {
  HolderClock h({.ttl_ms = 3000, .drift_margin_ms = 300});
  h.granted(1, 0);
  h.tick(0);
  EXPECT_FALSE(h.tick(999).send_renewal);
  EXPECT_TRUE(h.tick(1000).send_renewal);
  h.renewal_sent(1000);
  EXPECT_FALSE(h.tick(1500).send_renewal);  // in flight
  h.renewal_committed();
  EXPECT_EQ(h.acting_until_ms(), 3700);
  EXPECT_EQ(h.next_renewal_ms(), 2000);
  EXPECT_TRUE(h.tick(2000).send_renewal);
}

TEST(HolderClockTest, WindowCountsFromTheSendTimeNotTheCommitTime) {
  HolderClock h({.ttl_ms = 3000, .drift_margin_ms = 300});
  h.granted(1, 0);
  h.renewal_sent(1000);
  // The commit arrives late, at 2500: the window still ends at 1000 + 3000 − 300.
  h.renewal_committed();
  EXPECT_EQ(h.acting_until_ms(), 3700);
}

TEST(HolderClockTest, StopsActingAndSaysSoWhenItCannotRenew) {
  HolderClock h({.ttl_ms = 3000, .drift_margin_ms = 300});
  h.granted(1, 0);
  h.tick(0);
  h.renewal_sent(1000);
  h.renewal_failed(false);  // unknown outcome: no extension
  EXPECT_TRUE(h.tick(1100).send_renewal);
  h.renewal_sent(1100);  // stuck: no quorum
  auto step = h.tick(2699);
  EXPECT_FALSE(step.stopped);
  step = h.tick(2700);
  EXPECT_TRUE(step.stopped);
  EXPECT_FALSE(h.may_act(2700));
  EXPECT_NE(h.stop_reason().find("could not renew in time"), std::string::npos);
  EXPECT_TRUE(h.holding());
}

TEST(HolderClockTest, ResumesWhenALateRenewalStillLeavesAWindow) {
  HolderClock h({.ttl_ms = 3000, .drift_margin_ms = 300});
  h.granted(1, 0);
  h.tick(0);
  h.renewal_sent(2600);
  EXPECT_TRUE(h.tick(2700).stopped);
  h.renewal_committed();  // sent at 2600: valid until 5300
  auto step = h.tick(2750);
  EXPECT_TRUE(step.started);
  EXPECT_TRUE(h.may_act(5299));
}

TEST(HolderClockTest, RefusedRenewalDropsTheLeaseAtOnce) {
  HolderClock h({.ttl_ms = 3000, .drift_margin_ms = 300});
  h.granted(1, 0);
  h.tick(0);
  h.renewal_sent(1000);
  h.renewal_failed(true);
  EXPECT_FALSE(h.may_act(1001));
  auto step = h.tick(1001);
  EXPECT_TRUE(step.stopped);
  EXPECT_FALSE(step.send_renewal);
  EXPECT_FALSE(h.holding());
  EXPECT_NE(h.stop_reason().find("no longer ours"), std::string::npos);
}

TEST(HolderClockTest, DropStopsActingAndIgnoresLateCommits) {
  HolderClock h({.ttl_ms = 3000, .drift_margin_ms = 300});
  h.granted(1, 0);
  h.tick(0);
  h.renewal_sent(1000);
  h.drop("cordoned by alice");
  h.renewal_committed();
  EXPECT_FALSE(h.may_act(1100));
  EXPECT_TRUE(h.tick(1100).stopped);
  EXPECT_EQ(h.stop_reason(), "cordoned by alice");
  EXPECT_FALSE(h.tick(5000).send_renewal);
}

TEST(HolderClockTest, WindowNeverMovesBackwards) {
  HolderClock h({.ttl_ms = 3000, .drift_margin_ms = 300});
  h.granted(1, 2000);
  h.renewal_sent(1000);  // a send time older than the grant (caller bug or reordering)
  h.renewal_committed();
  EXPECT_EQ(h.acting_until_ms(), 4700);
}

}  // namespace
}  // namespace constellation::consensus
