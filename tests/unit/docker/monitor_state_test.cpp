// MonitorState: record versions move only on observable change, health flips carry from/to,
// and a full reconcile drops vanished containers.
#include <gtest/gtest.h>

#include "agent/docker/monitor_state.hpp"

namespace constellation::docker {
namespace {

using cluster::HealthStatus;

MappedContainer container(std::string id, std::string name, HealthStatus status,
                          std::int64_t checked = 1) {
  MappedContainer c;
  c.id = std::move(id);
  c.name = name;
  c.state = status == HealthStatus::stopped ? "exited" : "running";
  c.record.service = name;
  c.record.node = "n";
  c.record.status = status;
  c.record.source = "docker:" + name;
  c.record.checked_at_ms = checked;
  return c;
}

TEST(MonitorState, NewContainerIsAFlipFromNothingAndBumpsTheVersion) {
  MonitorState state;
  auto result = state.upsert(container("a1", "web", HealthStatus::starting));
  EXPECT_TRUE(result.records_changed);
  ASSERT_EQ(result.flips.size(), 1u);
  EXPECT_FALSE(result.flips[0].from.has_value());
  EXPECT_EQ(result.flips[0].to, HealthStatus::starting);
  EXPECT_EQ(state.records().at(0).version, 1u);
}

TEST(MonitorState, SameStateKeepsTheVersionEvenWhenCheckedAtMoves) {
  MonitorState state;
  state.upsert(container("a1", "web", HealthStatus::healthy, 1));
  auto result = state.upsert(container("a1", "web", HealthStatus::healthy, 99));
  EXPECT_FALSE(result.records_changed);
  EXPECT_TRUE(result.flips.empty());
  EXPECT_EQ(state.records().at(0).version, 1u);
}

TEST(MonitorState, HealthFlipReportsFromAndTo) {
  MonitorState state;
  state.upsert(container("a1", "web", HealthStatus::healthy));
  auto result = state.upsert(container("a1", "web", HealthStatus::unhealthy));
  ASSERT_EQ(result.flips.size(), 1u);
  EXPECT_EQ(result.flips[0].from, HealthStatus::healthy);
  EXPECT_EQ(result.flips[0].to, HealthStatus::unhealthy);
  EXPECT_EQ(state.records().at(0).version, 2u);
}

TEST(MonitorState, ReconcileDropsVanishedContainersAndCorrectsDrift) {
  MonitorState state;
  state.upsert(container("a1", "web", HealthStatus::healthy));
  state.upsert(container("b2", "db", HealthStatus::healthy));
  auto result = state.reconcile({container("a1", "web", HealthStatus::stopped)});
  EXPECT_TRUE(result.records_changed);
  ASSERT_EQ(result.flips.size(), 2u);
  auto records = state.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].service, "web");
  EXPECT_EQ(records[0].status, HealthStatus::stopped);
}

TEST(MonitorState, QuietReconcileChangesNothing) {
  MonitorState state;
  state.reconcile({container("a1", "web", HealthStatus::healthy)});
  auto version = state.version();
  auto result = state.reconcile({container("a1", "web", HealthStatus::healthy, 5)});
  EXPECT_FALSE(result.records_changed);
  EXPECT_EQ(state.version(), version);
}

TEST(MonitorState, FindsByNameIdPrefixOrUniqueService) {
  MonitorState state;
  state.upsert(container("abcdef123", "web-1", HealthStatus::healthy));
  auto second = container("99887766", "web-2", HealthStatus::healthy);
  second.record.service = "api";
  state.upsert(second);
  EXPECT_EQ(state.find("web-1")->id, "abcdef123");
  EXPECT_EQ(state.find("abcd")->name, "web-1");
  EXPECT_EQ(state.find("api")->name, "web-2");
  EXPECT_EQ(state.find("nope"), nullptr);
  EXPECT_EQ(state.find("ab"), nullptr);
}

TEST(MonitorState, RemoveUnknownIdChangesNothing) {
  MonitorState state;
  EXPECT_FALSE(state.remove("zzz").records_changed);
}

}  // namespace
}  // namespace constellation::docker
