// Seeded multi-node scenarios in the deterministic simulator: joins converge, failures are
// detected within memberlist's bound, loss does not kill live nodes, suspicions are refuted,
// partitions heal, leaves are leaves, meta and user broadcasts spread, awareness moves the
// Lifeguard way, dead members are reaped, and no node is declared dead without a failed probe.
#include <gtest/gtest.h>

#include <algorithm>

#include "agent/gossip/sim/simulator.hpp"

namespace constellation::gossip::sim {
namespace {

using std::chrono::seconds;

bool everyone_sees(const Simulator& sim, int subject, MemberState state) {
  for (int i = 0; i < sim.size(); ++i) {
    if (i != subject && sim.running(i) && sim.view(i, subject) != state) return false;
  }
  return true;
}

int count_events(const Simulator& sim, MemberEventKind kind, const std::string& about) {
  return static_cast<int>(std::count_if(
      sim.observations().begin(), sim.observations().end(),
      [&](const Observation& o) { return o.event.kind == kind && o.event.name == about; }));
}

TEST(Simulation, TwoNodesJoinViaPushPullAndConverge) {
  Simulator sim(1);
  sim.add_cluster(2, Timing::fast());
  EXPECT_TRUE(sim.run_until([&] { return sim.converged(); }, seconds{5}));
  EXPECT_EQ(sim.core(0).members().size(), 2u);
  EXPECT_EQ(sim.core(1).members().size(), 2u);
}

TEST(Simulation, FiveNodesJoinThroughOneSeedAndConverge) {
  Simulator sim(2);
  sim.add_cluster(5, Timing::fast());
  EXPECT_TRUE(sim.run_until([&] { return sim.converged(); }, seconds{10}));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(sim.core(i).members().size(), 5u) << i;
  EXPECT_TRUE(sim.invariant_violations().empty());
}

TEST(Simulation, JoinSucceedsAfterTheSeedBecomesReachable) {
  Simulator sim(3);
  const int a = sim.add_node(Simulator::node_config(0, Timing::fast(), 3));
  const int b = sim.add_node(Simulator::node_config(1, Timing::fast(), 3));
  sim.start(a);
  sim.partition({b});
  sim.join(b, {a});
  sim.run_for(seconds{5});
  EXPECT_FALSE(sim.converged());
  sim.heal();
  EXPECT_TRUE(sim.run_until([&] { return sim.converged(); }, seconds{20}));
}

TEST(Simulation, KilledNodeIsSuspectedThenDeadWithinTheComputedBound) {
  const Timing timing = Timing::fast();
  Simulator sim(4);
  sim.add_converged_cluster(5, timing);
  sim.run_for(seconds{2});
  const Instant killed_at = sim.now();
  sim.kill(4);
  // Someone probes node-4 within one round of the probe list, the probe fails at its
  // deadline, then the suspicion lasts at most max = SuspicionMaxTimeoutMult * min.
  const Millis min = suspicion_min_timeout(timing.suspicion_mult, 5, timing.probe_interval);
  const Millis bound = 4 * timing.probe_interval + timing.probe_interval +
                       min * timing.suspicion_max_timeout_mult + seconds{1};
  ASSERT_TRUE(sim.run_until([&] { return everyone_sees(sim, 4, MemberState::dead); }, bound));
  EXPECT_LE(sim.now() - killed_at, bound);
  EXPECT_GE(count_events(sim, MemberEventKind::suspect, "node-4"), 1);
  const auto first_suspect =
      std::find_if(sim.observations().begin(), sim.observations().end(),
                   [](const Observation& o) { return o.event.kind == MemberEventKind::suspect; });
  const auto first_dead =
      std::find_if(sim.observations().begin(), sim.observations().end(),
                   [](const Observation& o) { return o.event.kind == MemberEventKind::dead; });
  ASSERT_NE(first_dead, sim.observations().end());
  EXPECT_LT(first_suspect, first_dead);
  EXPECT_TRUE(sim.invariant_violations().empty());
}

TEST(Simulation, LiveNodesUnderFivePercentLossAreNeverDeclaredDead) {
  Timing timing = Timing::fast();
  timing.tcp_fallback_ping =
      false;  // make UDP loss matter: only the indirect path can save a probe
  Simulator sim(5, NetworkConfig{.loss = 0.05, .min_delay = Millis{1}, .max_delay = Millis{10}});
  sim.add_converged_cluster(5, timing);
  sim.run_for(seconds{600});
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(count_events(sim, MemberEventKind::dead, sim.name(i)), 0) << i;
  EXPECT_TRUE(sim.converged());
  EXPECT_TRUE(sim.invariant_violations().empty());
}

TEST(Simulation, SuspectedNodeRefutesByRaisingItsIncarnation) {
  Simulator sim(6);
  sim.add_converged_cluster(4, Timing::lan());
  sim.run_for(seconds{1});
  sim.partition({3});
  ASSERT_TRUE(sim.run_until(
      [&] { return count_events(sim, MemberEventKind::suspect, "node-3") > 0; }, seconds{10}));
  sim.heal();
  ASSERT_TRUE(sim.run_until(
      [&] {
        return everyone_sees(sim, 3, MemberState::alive) && sim.core(3).self().incarnation > 1;
      },
      seconds{4}));
  EXPECT_EQ(count_events(sim, MemberEventKind::dead, "node-3"), 0);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sim.core(i).members().find("node-3")->incarnation, sim.core(3).self().incarnation);
  }
}

TEST(Simulation, PartitionedSidesKeepWorkingAndHealWhenThePartitionIsRemoved) {
  Simulator sim(7);
  sim.add_converged_cluster(6, Timing::fast());
  sim.run_for(seconds{1});
  sim.partition({0, 1, 2});
  ASSERT_TRUE(sim.run_until(
      [&] {
        for (int i = 0; i < 6; ++i) {
          for (int j = 0; j < 6; ++j) {
            const bool same_side = (i < 3) == (j < 3);
            if (i != j && sim.view(i, j) != (same_side ? MemberState::alive : MemberState::dead))
              return false;
          }
        }
        return true;
      },
      seconds{20}));
  // Each side still disseminates among itself (gossip, or push/pull among the live side).
  sim.set_meta(4, Bytes{'s', 'i', 'd', 'e'});
  EXPECT_TRUE(sim.run_until(
      [&] {
        return sim.core(3).members().find("node-4")->meta == Bytes{'s', 'i', 'd', 'e'} &&
               sim.core(5).members().find("node-4")->meta == Bytes{'s', 'i', 'd', 'e'};
      },
      Timing::fast().push_pull_interval * 2));
  EXPECT_NE(sim.core(0).members().find("node-4")->meta, (Bytes{'s', 'i', 'd', 'e'}));
  // Outlast GossipToTheDeadTime: only the reconnect push/pull can find the other side now.
  sim.run_for(Timing::fast().gossip_to_the_dead);
  sim.heal();
  EXPECT_TRUE(sim.run_until([&] { return sim.converged(); }, seconds{30}));
}

TEST(Simulation, GracefulLeaveIsSeenAsLeftNotDead) {
  Simulator sim(8);
  sim.add_converged_cluster(5, Timing::fast());
  sim.run_for(seconds{1});
  sim.leave(2);
  ASSERT_TRUE(sim.run_until([&] { return !sim.running(2); }, seconds{10}));
  EXPECT_TRUE(sim.run_until([&] { return everyone_sees(sim, 2, MemberState::left); }, seconds{5}));
  EXPECT_EQ(count_events(sim, MemberEventKind::dead, "node-2"), 0);
  EXPECT_GE(count_events(sim, MemberEventKind::left, "node-2"), 4);
}

TEST(Simulation, MetaUpdatePropagatesToEveryNode) {
  Simulator sim(9);
  sim.add_converged_cluster(8, Timing::fast());
  sim.run_for(seconds{1});
  sim.set_meta(5, Bytes{'r', 'o', 'l', 'e'});
  EXPECT_TRUE(sim.run_until(
      [&] {
        for (int i = 0; i < 8; ++i) {
          if (sim.core(i).members().find("node-5")->meta != Bytes{'r', 'o', 'l', 'e'}) return false;
        }
        return true;
      },
      // Gossip reaches nearly everyone within a second; a node every copy missed is caught
      // by the next push/pull.
      Timing::fast().push_pull_interval * 2));
  EXPECT_EQ(count_events(sim, MemberEventKind::update, "node-5"), 7);
}

TEST(Simulation, UserBroadcastRelayedByTheApplicationReachesEveryNode) {
  Simulator sim(10);
  sim.add_converged_cluster(20, Timing::lan());
  sim.run_for(seconds{1});
  sim.broadcast(7, Bytes{'h', 'e', 'a', 'l', 't', 'h'});
  sim.run_for(seconds{5});
  std::set<int> reached;
  for (const Delivery& d : sim.deliveries()) reached.insert(d.node);
  EXPECT_EQ(reached.size(), 20u);
}

TEST(Simulation, TransmitLimitBoundsHowOftenABroadcastIsSent) {
  Simulator sim(11);
  sim.set_relay_user_messages(false);
  sim.add_converged_cluster(20, Timing::lan());
  sim.run_for(seconds{1});
  sim.broadcast(0, Bytes{'x'});
  sim.run_for(seconds{10});
  // Only the origin queues a user broadcast (receivers hand it to the application), so at
  // most its transmit limit of datagrams can carry it.
  const auto received = std::count_if(sim.deliveries().begin(), sim.deliveries().end(),
                                      [](const Delivery& d) { return d.node != 0; });
  EXPECT_LE(received, retransmit_limit(4, 20));
  EXPECT_EQ(sim.core(0).queued_broadcasts(), 0u);
}

TEST(Simulation, AwarenessRisesWhenNoNacksComeBackAndFallsOnSuccess) {
  Simulator sim(12);
  sim.add_converged_cluster(5, Timing::fast());
  sim.run_for(seconds{1});
  EXPECT_EQ(sim.core(0).awareness_score(), 0);
  sim.partition({0});  // node-0's own network is broken: probes fail and helpers never nack
  ASSERT_TRUE(sim.run_until([&] { return sim.core(0).awareness_score() >= 3; }, seconds{5}));
  sim.heal();
  EXPECT_TRUE(sim.run_until([&] { return sim.core(0).awareness_score() == 0; }, seconds{60}));
}

TEST(Simulation, AwarenessStaysHealthyWhenHelpersNackForADeadTarget) {
  Simulator sim(13);
  sim.add_converged_cluster(5, Timing::fast());
  sim.run_for(seconds{1});
  sim.kill(4);
  ASSERT_TRUE(sim.run_until([&] { return everyone_sees(sim, 4, MemberState::dead); }, seconds{10}));
  ASSERT_FALSE(sim.failed_probes().empty());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(sim.core(i).awareness_score(), 0) << i;
}

TEST(Simulation, DeadMembersAreReapedAfterTheConfiguredTime) {
  Timing timing = Timing::fast();
  timing.reap_dead_after = Millis{3000};
  Simulator sim(14);
  sim.add_converged_cluster(4, timing);
  sim.run_for(seconds{1});
  sim.kill(3);
  ASSERT_TRUE(sim.run_until([&] { return everyone_sees(sim, 3, MemberState::dead); }, seconds{10}));
  const Instant dead_at = sim.now();
  ASSERT_TRUE(sim.run_until([&] { return !sim.view(0, 3) && !sim.view(1, 3) && !sim.view(2, 3); },
                            seconds{10}));
  EXPECT_GE(sim.now() - dead_at,
            Millis{2000});  // not before its time (declared dead at most 1 s apart)
  EXPECT_GE(count_events(sim, MemberEventKind::reaped, "node-3"), 3);
}

TEST(Simulation, ChaosKeepsInvariantsAndEveryMemberEventuallyConverges) {
  Simulator sim(15, NetworkConfig{.loss = 0.1, .min_delay = Millis{1}, .max_delay = Millis{30}});
  sim.add_cluster(12, Timing::fast());
  ASSERT_TRUE(sim.run_until([&] { return sim.converged(); }, seconds{30}));
  sim.kill(11);
  sim.partition({0, 1, 2, 3});
  sim.run_for(seconds{5});
  sim.leave(10);
  sim.heal();
  sim.run_for(seconds{3});
  sim.kill(9);
  sim.set_loss(0.05);
  EXPECT_TRUE(sim.run_until([&] { return sim.converged(); }, seconds{60}));
  EXPECT_EQ(sim.invariant_violations(), std::vector<std::string>{});
}

TEST(Simulation, EncryptedClusterJoinsGossipsAndDropsPlaintext) {
  static const Keyring keyring = *Keyring::create({Bytes(32, 0x42)});
  Simulator sim(17);
  for (int i = 0; i < 4; ++i) {
    CoreConfig config = Simulator::node_config(i, Timing::fast(), 17);
    config.packet.keyring = &keyring;
    sim.add_node(std::move(config));
  }
  sim.start(0);
  for (int i = 1; i < 4; ++i) sim.join(i, {0});
  ASSERT_TRUE(sim.run_until([&] { return sim.converged(); }, seconds{10}));
  // A node without the key cannot join.
  const int outsider = sim.add_node(Simulator::node_config(4, Timing::fast(), 17));
  sim.join(outsider, {0});
  sim.run_for(seconds{3});
  EXPECT_EQ(sim.core(0).members().find("node-4"), nullptr);
  EXPECT_EQ(sim.core(outsider).members().size(), 1u);
}

TEST(Simulation, SameSeedGivesTheSameRun) {
  const auto run = [] {
    Simulator sim(16, NetworkConfig{.loss = 0.05});
    sim.add_cluster(6, Timing::fast());
    sim.run_for(seconds{5});
    sim.kill(2);
    sim.run_for(seconds{5});
    return std::make_pair(sim.total_bytes_sent(), sim.observations().size());
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace constellation::gossip::sim
