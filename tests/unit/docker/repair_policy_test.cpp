// RepairPolicy: first restart at once, exponential backoff after, a cap per window reported
// once, and restarts again once old ones age out of the window.
#include <gtest/gtest.h>

#include "agent/docker/monitor.hpp"
#include "agent/docker/repair_policy.hpp"

namespace constellation::docker {
namespace {

using namespace std::chrono_literals;
using Clock = RepairPolicy::Clock;

TEST(RepairPolicy, RestartsAtOnceThenBacksOffExponentially) {
  RepairPolicy policy({.max_restarts = 5, .window = 10min, .backoff = 10s, .max_backoff = 5min});
  auto t0 = Clock::time_point{} + 1h;
  EXPECT_EQ(policy.decide("c", t0).action, RepairAction::restart);
  policy.record_restart("c", t0);
  auto d = policy.decide("c", t0 + 1s);
  EXPECT_EQ(d.action, RepairAction::wait);
  EXPECT_EQ(d.delay, 9s);
  EXPECT_EQ(policy.decide("c", t0 + 10s).action, RepairAction::restart);
  policy.record_restart("c", t0 + 10s);
  d = policy.decide("c", t0 + 10s);
  EXPECT_EQ(d.action, RepairAction::wait);
  EXPECT_EQ(d.delay, 20s);
}

TEST(RepairPolicy, GivesUpOnceAtTheCapAndResumesAfterTheWindow) {
  RepairPolicy policy({.max_restarts = 2, .window = 1min, .backoff = 1s, .max_backoff = 1s});
  auto t = Clock::time_point{} + 1h;
  policy.record_restart("c", t);
  policy.record_restart("c", t + 1s);
  EXPECT_EQ(policy.decide("c", t + 2s).action, RepairAction::give_up);
  EXPECT_EQ(policy.decide("c", t + 3s).action, RepairAction::given_up);
  EXPECT_EQ(policy.decide("c", t + 2min).action, RepairAction::restart);
}

TEST(RepairPolicy, ContainersAreIndependent) {
  RepairPolicy policy({.max_restarts = 1, .window = 1min, .backoff = 1s, .max_backoff = 1s});
  auto t = Clock::time_point{} + 1h;
  policy.record_restart("a", t);
  EXPECT_EQ(policy.decide("a", t).action, RepairAction::give_up);
  EXPECT_EQ(policy.decide("b", t).action, RepairAction::restart);
}

TEST(ReconnectDelay, DoublesUpToTheCap) {
  EXPECT_EQ(reconnect_delay(0, 500ms, 30s), 500ms);
  EXPECT_EQ(reconnect_delay(3, 500ms, 30s), 4s);
  EXPECT_EQ(reconnect_delay(20, 500ms, 30s), 30s);
}

}  // namespace
}  // namespace constellation::docker
