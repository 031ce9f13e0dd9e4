// Service-health records over the real gossip core in the deterministic simulator: a
// ClusterView at every node, wired as the agent's ClusterService wires it (deltas relayed as
// user broadcasts, the table as push/pull user state, dead or departed owners forgotten).
// Seeded scenarios with loss and partitions; each asserts every view converges.
#include <gtest/gtest.h>

#include "agent/cluster/cluster_view.hpp"
#include "agent/gossip/sim/simulator.hpp"

namespace constellation::cluster {
namespace {
using gossip::Millis;
using gossip::sim::Simulator;

/// N simulated nodes, each with a ClusterView on top of its core.
class Fleet {
 public:
  Fleet(int n, std::uint64_t seed, double loss = 0.0)
      : sim_(seed, gossip::sim::NetworkConfig{
                       .loss = loss, .min_delay = Millis{1}, .max_delay = Millis{10}}) {
    sim_.add_converged_cluster(n, gossip::Timing::fast());
    for (int i = 0; i < n; ++i) views_.emplace_back(sim_.name(i));
    sim_.set_application(Simulator::Application{
        .on_event =
            [this](int i, const gossip::MemberEvent& event) {
              if (event.kind == gossip::MemberEventKind::dead ||
                  event.kind == gossip::MemberEventKind::left)
                apply(i, views_[static_cast<std::size_t>(i)].forget(event.name));
            },
        .on_message =
            [this](int i, const gossip::Bytes& message) {
              apply(i, views_[static_cast<std::size_t>(i)].apply_message(message, live(i)));
            },
        .on_state =
            [this](int i, const gossip::Bytes& state, bool) {
              apply(i, views_[static_cast<std::size_t>(i)].merge_state(state, live(i)));
            },
    });
  }

  void set_services(int i, std::vector<ServiceRecord> records) {
    apply(i, views_[static_cast<std::size_t>(i)].set_local(std::move(records)));
  }

  /// Whether every running node's view holds exactly `expected` for `owner`'s `service`
  /// (nullopt: no such record).
  bool everyone_sees(int owner, const std::string& service,
                     std::optional<HealthStatus> expected) const {
    for (int i = 0; i < sim_.size(); ++i) {
      if (!sim_.running(i)) continue;
      std::optional<HealthStatus> seen;
      for (const auto& record :
           views_[static_cast<std::size_t>(i)].records_of_node(sim_.name(owner)))
        if (record.service == service) seen = record.status;
      if (seen != expected) return false;
    }
    return true;
  }

  Simulator& sim() { return sim_; }

 private:
  ClusterView::LivePredicate live(int i) {
    return [this, i](const std::string& node) {
      const auto* member = sim_.core(i).members().find(node);
      return member && (member->state == gossip::MemberState::alive ||
                        member->state == gossip::MemberState::suspect);
    };
  }
  void apply(int i, const ViewUpdate& update) {
    auto& core = sim_.core(i);
    for (const auto& broadcast : update.broadcasts)
      (void)core.queue_user_broadcast(broadcast.payload, broadcast.key);
    if (!update.changes.empty())
      core.set_user_state(views_[static_cast<std::size_t>(i)].encode_state());
  }

  Simulator sim_;
  std::vector<ClusterView> views_;
};

ServiceRecord web(HealthStatus status) {
  return ServiceRecord{
      .service = "web", .status = status, .endpoints = {{"http", "http://10.0.7.2"}}};
}

TEST(ClusterSimulation, AHealthFlipReachesEveryNodeOfTwenty) {
  Fleet fleet(20, 11);
  fleet.sim().run_for(Millis{1000});
  fleet.set_services(3, {web(HealthStatus::healthy)});
  EXPECT_TRUE(fleet.sim().run_until(
      [&] { return fleet.everyone_sees(3, "web", HealthStatus::healthy); }, Millis{10'000}));
  fleet.set_services(3, {web(HealthStatus::unhealthy)});
  EXPECT_TRUE(fleet.sim().run_until(
      [&] { return fleet.everyone_sees(3, "web", HealthStatus::unhealthy); }, Millis{10'000}));
}

TEST(ClusterSimulation, ChangesConvergeUnderTwentyPercentLossThroughPushPull) {
  Fleet fleet(10, 12, 0.2);
  fleet.sim().run_for(Millis{1000});
  for (int i = 0; i < 10; ++i) fleet.set_services(i, {web(HealthStatus::starting)});
  fleet.set_services(7, {web(HealthStatus::healthy)});
  EXPECT_TRUE(fleet.sim().run_until(
      [&] {
        for (int i = 0; i < 10; ++i)
          if (!fleet.everyone_sees(i, "web",
                                   i == 7 ? HealthStatus::healthy : HealthStatus::starting))
            return false;
        return true;
      },
      Millis{120'000}));
}

TEST(ClusterSimulation, AKilledNodesServicesVanishFromEveryView) {
  Fleet fleet(8, 13);
  fleet.set_services(5, {web(HealthStatus::healthy)});
  ASSERT_TRUE(fleet.sim().run_until(
      [&] { return fleet.everyone_sees(5, "web", HealthStatus::healthy); }, Millis{10'000}));
  fleet.sim().kill(5);
  auto killed_at = fleet.sim().now();
  EXPECT_TRUE(fleet.everyone_sees(5, "web", HealthStatus::healthy)) << "seen before the kill";
  EXPECT_TRUE(fleet.sim().run_until([&] { return fleet.everyone_sees(5, "web", std::nullopt); },
                                    Millis{30'000}));
  // Forgotten only once declared dead: seconds after the kill, not at once.
  EXPECT_GT(fleet.sim().now() - killed_at, Millis{1000});
}

TEST(ClusterSimulation, AChangeMadeDuringAPartitionReachesTheOtherSideAfterItHeals) {
  Fleet fleet(6, 14);
  fleet.set_services(0, {web(HealthStatus::healthy)});
  ASSERT_TRUE(fleet.sim().run_until(
      [&] { return fleet.everyone_sees(0, "web", HealthStatus::healthy); }, Millis{10'000}));
  fleet.sim().partition({0, 1, 2});
  fleet.sim().run_for(Millis{500});
  fleet.set_services(0, {web(HealthStatus::unhealthy)});
  fleet.sim().run_for(Millis{1500});
  EXPECT_FALSE(fleet.everyone_sees(0, "web", HealthStatus::unhealthy)) << "crossed the partition";
  fleet.sim().heal();
  EXPECT_TRUE(fleet.sim().run_until(
      [&] {
        return fleet.sim().converged() && fleet.everyone_sees(0, "web", HealthStatus::unhealthy);
      },
      Millis{120'000}));
}

}  // namespace
}  // namespace constellation::cluster
