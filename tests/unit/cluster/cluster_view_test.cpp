// ClusterView: last-writer-wins by (origin, version), relays, tombstones, snapshots,
// forgetting dead nodes and moving past versions issued before a restart.
#include "agent/cluster/cluster_view.hpp"

#include <gtest/gtest.h>

namespace constellation::cluster {
namespace {

ServiceRecord record(std::string service, HealthStatus status) {
  return ServiceRecord{.service = std::move(service), .status = status};
}

const ClusterView::LivePredicate kEveryoneLives = [](const std::string&) { return true; };

TEST(ClusterView, LocalChangesGetIncreasingVersionsAndOneDeltaEach) {
  ClusterView a("a");
  auto first =
      a.set_local({record("web", HealthStatus::starting), record("db", HealthStatus::healthy)});
  ASSERT_EQ(first.changes.size(), 2u);
  ASSERT_EQ(first.broadcasts.size(), 2u);
  EXPECT_EQ(a.local_version(), 2u);
  auto same =
      a.set_local({record("web", HealthStatus::starting), record("db", HealthStatus::healthy)});
  EXPECT_TRUE(same.changes.empty());
  EXPECT_TRUE(same.broadcasts.empty());
  auto flip =
      a.set_local({record("web", HealthStatus::healthy), record("db", HealthStatus::healthy)});
  ASSERT_EQ(flip.changes.size(), 1u);
  EXPECT_EQ(flip.changes[0].record.version, 3u);
  EXPECT_EQ(flip.changes[0].previous, HealthStatus::starting);
  EXPECT_EQ(flip.broadcasts[0].key, "svc:a/web");
}

TEST(ClusterView, PeerAppliesADeltaOnceAndRelaysItOnce) {
  ClusterView a("a"), b("b");
  auto sent = a.set_local({record("web", HealthStatus::healthy)});
  auto got = b.apply_message(sent.broadcasts[0].payload, kEveryoneLives);
  ASSERT_EQ(got.changes.size(), 1u);
  EXPECT_EQ(got.changes[0].record.node, "a");
  EXPECT_FALSE(got.changes[0].previous);
  EXPECT_EQ(got.broadcasts.size(), 1u) << "an accepted delta is relayed";
  auto again = b.apply_message(sent.broadcasts[0].payload, kEveryoneLives);
  EXPECT_TRUE(again.changes.empty());
  EXPECT_TRUE(again.broadcasts.empty()) << "a known delta is not relayed again";
  ASSERT_EQ(b.instances_of("web").size(), 1u);
}

TEST(ClusterView, OlderVersionsLoseWhateverOrderTheyArriveIn) {
  ClusterView a("a"), b("b");
  auto v1 = a.set_local({record("web", HealthStatus::starting)});
  auto v2 = a.set_local({record("web", HealthStatus::unhealthy)});
  b.apply_message(v2.broadcasts[0].payload, kEveryoneLives);
  auto late = b.apply_message(v1.broadcasts[0].payload, kEveryoneLives);
  EXPECT_TRUE(late.changes.empty());
  EXPECT_EQ(b.instances_of("web")[0].status, HealthStatus::unhealthy);
}

TEST(ClusterView, ARemovedServiceBecomesATombstoneThatRemovesItEverywhere) {
  ClusterView a("a"), b("b");
  b.apply_message(a.set_local({record("web", HealthStatus::healthy)}).broadcasts[0].payload,
                  kEveryoneLives);
  auto gone = a.set_local({});
  ASSERT_EQ(gone.changes.size(), 1u);
  EXPECT_TRUE(gone.changes[0].record.removed);
  auto got = b.apply_message(gone.broadcasts[0].payload, kEveryoneLives);
  ASSERT_EQ(got.changes.size(), 1u);
  EXPECT_TRUE(got.changes[0].record.removed);
  EXPECT_EQ(got.changes[0].previous, HealthStatus::healthy);
  EXPECT_TRUE(b.instances_of("web").empty());
  // The older live record arriving late through someone's snapshot does not come back.
  ClusterView c("c");
  c.apply_message(a.set_local({record("web", HealthStatus::healthy)}).broadcasts[0].payload,
                  kEveryoneLives);
  a.set_local({});
  b.merge_state(a.encode_state(), kEveryoneLives);
  EXPECT_TRUE(b.instances_of("web").empty());
}

TEST(ClusterView, SnapshotsBringAJoiningNodeUpToDate) {
  ClusterView a("a"), b("b"), c("c");
  for (auto& broadcast :
       a.set_local({record("web", HealthStatus::healthy), record("db", HealthStatus::running)})
           .broadcasts)
    b.apply_message(broadcast.payload, kEveryoneLives);
  b.set_local({record("cache", HealthStatus::unhealthy)});
  auto merged = c.merge_state(b.encode_state(), kEveryoneLives);
  EXPECT_EQ(merged.changes.size(), 3u);
  EXPECT_EQ(c.records().size(), 3u);
  EXPECT_EQ(c.records_of_node("a").size(), 2u);
}

TEST(ClusterView, RecordsOfANodeThatIsNotLiveAreRefused) {
  ClusterView a("a"), b("b");
  auto sent = a.set_local({record("web", HealthStatus::healthy)});
  auto got = b.apply_message(sent.broadcasts[0].payload,
                             [](const std::string& node) { return node != "a"; });
  EXPECT_TRUE(got.changes.empty());
  EXPECT_TRUE(got.broadcasts.empty());
  EXPECT_TRUE(b.records().empty());
}

TEST(ClusterView, ForgettingADeadNodeRemovesAllItsRecords) {
  ClusterView a("a"), b("b");
  for (auto& broadcast :
       a.set_local({record("web", HealthStatus::healthy), record("db", HealthStatus::healthy)})
           .broadcasts)
    b.apply_message(broadcast.payload, kEveryoneLives);
  auto forgotten = b.forget("a");
  EXPECT_EQ(forgotten.changes.size(), 2u);
  for (const auto& change : forgotten.changes) EXPECT_TRUE(change.record.removed);
  EXPECT_TRUE(b.records().empty());
  EXPECT_TRUE(b.forget("b").changes.empty()) << "a node never forgets itself";
}

TEST(ClusterView, ARestartedNodeMovesPastTheVersionsPeersRemember) {
  ClusterView before("a"), b("b");
  for (int i = 0; i < 5; ++i)
    b.apply_message(
        before.set_local({record("web", i % 2 ? HealthStatus::healthy : HealthStatus::unhealthy)})
            .broadcasts[0]
            .payload,
        kEveryoneLives);
  ClusterView after("a");  // the same node, restarted with an empty table
  after.set_local({record("db", HealthStatus::healthy)});
  auto refuted = after.merge_state(b.encode_state(), kEveryoneLives);
  EXPECT_GT(after.local_version(), 5u);
  EXPECT_FALSE(refuted.broadcasts.empty());
  for (const auto& broadcast : refuted.broadcasts)
    b.apply_message(broadcast.payload, kEveryoneLives);
  auto now = b.records_of_node("a");
  ASSERT_EQ(now.size(), 1u) << "the service the node no longer runs is gone";
  EXPECT_EQ(now[0].service, "db");
}

TEST(ClusterView, MalformedOrForeignPayloadsAreDroppedWithAReasonAndChangeNothing) {
  ClusterView b("b");
  EXPECT_TRUE(b.apply_message(std::vector<std::uint8_t>{}, kEveryoneLives).dropped);
  auto serf = b.apply_message(std::vector<std::uint8_t>{3, 0x80}, kEveryoneLives);
  ASSERT_TRUE(serf.dropped);
  EXPECT_NE(serf.dropped->find("not a constellation"), std::string::npos);
  EXPECT_TRUE(
      b.apply_message(std::vector<std::uint8_t>{kRecordDeltaType, 0xc1}, kEveryoneLives).dropped);
  std::vector<std::uint8_t> no_status{kRecordDeltaType};
  nlohmann::json::to_msgpack(nlohmann::json{{"service", "web"}, {"node", "a"}}, no_status);
  auto missing = b.apply_message(no_status, kEveryoneLives);
  ASSERT_TRUE(missing.dropped);
  EXPECT_NE(missing.dropped->find("status"), std::string::npos);
  EXPECT_TRUE(b.records().empty());
}

TEST(ClusterView, ASnapshotWithOneBadRecordIsRefusedWhole) {
  std::vector<std::uint8_t> state{kRecordStateType};
  nlohmann::json::to_msgpack(
      nlohmann::json{{"records",
                      {{{"service", "web"}, {"node", "a"}, {"status", "healthy"}, {"version", 1}},
                       {{"service", "db"}, {"node", "a"}, {"status", "on fire"}, {"version", 2}}}}},
      state);
  ClusterView b("b");
  auto merged = b.merge_state(state, kEveryoneLives);
  ASSERT_TRUE(merged.dropped);
  EXPECT_NE(merged.dropped->find("on fire"), std::string::npos);
  EXPECT_TRUE(b.records().empty());
}

TEST(ClusterView, TombstonesPerOriginAreCapped) {
  ClusterView a("a");
  for (std::size_t i = 0; i < kMaxTombstonesPerOrigin + 20; ++i) {
    a.set_local({record("one-off-" + std::to_string(i), HealthStatus::running)});
    a.set_local({});
  }
  auto state = a.encode_state();
  auto json = nlohmann::json::from_msgpack(state.begin() + 1, state.end());
  EXPECT_EQ(json["records"].size(), kMaxTombstonesPerOrigin);
}

}  // namespace
}  // namespace constellation::cluster

namespace constellation::cluster {
namespace {

TEST(ServiceInstances, TwoContainersOfOneServiceOnANodeBecomeOneRecordAsBadAsTheWorst) {
  ServiceRecord a{.service = "web",
                  .status = HealthStatus::healthy,
                  .endpoints = {{"http", "http://10.0.7.2:80"}},
                  .networks = {"backend"},
                  .source = "docker:web-1"};
  ServiceRecord b{.service = "web",
                  .status = HealthStatus::unhealthy,
                  .endpoints = {{"http", "http://10.0.7.3:80"}},
                  .networks = {"backend", "publicnet"},
                  .source = "docker:web-2"};
  auto merged = merge_instances({a, ServiceRecord{.service = "db"}, b});
  ASSERT_EQ(merged.size(), 2u);
  const ServiceRecord& web = merged[0];
  EXPECT_EQ(web.service, "web");
  EXPECT_EQ(web.status, HealthStatus::unhealthy);
  EXPECT_EQ(web.instances, 2u);
  EXPECT_EQ(web.ready, 1u);
  EXPECT_EQ(web.endpoints.at("http"), "http://10.0.7.2:80");
  EXPECT_EQ(web.endpoints.at("http#2"), "http://10.0.7.3:80");
  EXPECT_EQ(web.networks, (std::vector<std::string>{"backend", "publicnet"}));
  EXPECT_EQ(web.source, "docker:web-1,docker:web-2");
  EXPECT_EQ(merged[1].service, "db");
  EXPECT_EQ(merged[1].instances, 1u);
  EXPECT_EQ(merged[1].ready, 0u);
}

TEST(ServiceInstances, AReplicaStoppingChangesTheNodesRecordAndReachesPeers) {
  ClusterView a("a"), b("b");
  ServiceRecord one{.service = "web", .status = HealthStatus::healthy, .source = "docker:web-1"};
  ServiceRecord two{.service = "web", .status = HealthStatus::healthy, .source = "docker:web-2"};
  auto both = a.set_local({one, two});
  ASSERT_EQ(both.changes.size(), 1u);
  b.apply_message(both.broadcasts[0].payload, kEveryoneLives);
  two.status = HealthStatus::stopped;
  auto degraded = a.set_local({one, two});
  ASSERT_EQ(degraded.changes.size(), 1u);
  EXPECT_EQ(degraded.changes[0].record.status, HealthStatus::healthy);  // one still serves
  EXPECT_EQ(degraded.changes[0].record.ready, 1u);
  auto got = b.apply_message(degraded.broadcasts[0].payload, kEveryoneLives);
  ASSERT_EQ(got.changes.size(), 1u);
  EXPECT_EQ(got.changes[0].record.instances, 2u);
  EXPECT_EQ(got.changes[0].record.ready, 1u);
}

TEST(ServiceInstances, CountsAreOptionalOnTheWireButMustBeCountsWhenPresent) {
  std::string error;
  auto old = record_from_json(
      nlohmann::json{{"service", "web"}, {"node", "a"}, {"status", "running"}}, &error);
  ASSERT_TRUE(old.has_value()) << error;
  EXPECT_EQ(old->instances, 1u);
  EXPECT_EQ(old->ready, 1u);
  auto bad = record_from_json(
      nlohmann::json{{"service", "web"}, {"node", "a"}, {"status", "running"}, {"instances", -2}},
      &error);
  EXPECT_FALSE(bad.has_value());
  EXPECT_NE(error.find("'instances' must be a count"), std::string::npos) << error;
}

}  // namespace
}  // namespace constellation::cluster
