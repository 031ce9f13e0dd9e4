// memberlist's derived timing formulas and the two profiles, checked against the figures in
// memberlist-wire.md §9 (4 s / 8 s / 12 s suspicion minimums on LAN, etc.).
#include <gtest/gtest.h>

#include "agent/gossip/timing.hpp"

namespace constellation::gossip {
namespace {

using std::chrono::seconds;

TEST(Timing, LanProfileIsMemberlistDefaultLanConfig) {
  const Timing lan = Timing::lan();
  EXPECT_EQ(lan.probe_interval, Millis{1000});
  EXPECT_EQ(lan.probe_timeout, Millis{500});
  EXPECT_EQ(lan.gossip_interval, Millis{200});
  EXPECT_EQ(lan.gossip_nodes, 3);
  EXPECT_EQ(lan.suspicion_mult, 4);
  EXPECT_EQ(lan.suspicion_max_timeout_mult, 6);
  EXPECT_EQ(lan.indirect_checks, 3);
  EXPECT_EQ(lan.retransmit_mult, 4);
  EXPECT_EQ(lan.push_pull_interval, Millis{30000});
  EXPECT_EQ(lan.awareness_max_multiplier, 8);
  EXPECT_EQ(lan.gossip_to_the_dead, Millis{30000});
}

TEST(Timing, OverridesSetOneTimerOrMultiplierOnTopOfAProfile) {
  Timing t = Timing::fast();
  ASSERT_TRUE(apply_timing_override(t, "probe_interval=300ms"));
  ASSERT_TRUE(apply_timing_override(t, "suspicion_mult=3"));
  ASSERT_TRUE(apply_timing_override(t, "push_pull_interval=1m"));
  EXPECT_EQ(t.probe_interval, Millis{300});
  EXPECT_EQ(t.suspicion_mult, 3);
  EXPECT_EQ(t.push_pull_interval, Millis{60000});
  EXPECT_EQ(t.probe_timeout, Timing::fast().probe_timeout) << "others untouched";
  EXPECT_EQ(timing_field_names().size(), 18u);
}

TEST(Timing, BadOverridesNameTheEntryAndWhatIsAccepted) {
  Timing t = Timing::fast();
  auto unknown = apply_timing_override(t, "probe_intervall=300ms");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::bad_config);
  EXPECT_NE(unknown.error().message.find("probe_intervall"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("probe_interval,"), std::string::npos);
  auto no_equals = apply_timing_override(t, "probe_interval");
  ASSERT_FALSE(no_equals);
  EXPECT_NE(no_equals.error().message.find("NAME=VALUE"), std::string::npos);
  EXPECT_FALSE(apply_timing_override(t, "probe_interval=soon"));
  EXPECT_FALSE(apply_timing_override(t, "suspicion_mult=2.5"));
  auto too_small = apply_timing_override(t, "gossip_nodes=0");
  ASSERT_FALSE(too_small);
  EXPECT_NE(too_small.error().message.find("at least 1"), std::string::npos);
  EXPECT_EQ(t.probe_interval, Timing::fast().probe_interval) << "nothing half-applied";
}

TEST(Timing, ProfilesAreFoundByNameAndUnknownNamesAreRefused) {
  Timing t;
  ASSERT_TRUE(timing_profile("fast", t));
  EXPECT_EQ(t.probe_interval, Millis{400});
  ASSERT_TRUE(timing_profile("lan", t));
  EXPECT_EQ(t.probe_interval, Millis{1000});
  EXPECT_FALSE(timing_profile("wan", t));
}

TEST(Timing, SuspicionMinimumScalesWithLog10OfClusterSize) {
  EXPECT_EQ(suspicion_min_timeout(4, 1, Millis{1000}), seconds{4});
  EXPECT_EQ(suspicion_min_timeout(4, 10, Millis{1000}), seconds{4});
  EXPECT_EQ(suspicion_min_timeout(4, 100, Millis{1000}), seconds{8});
  EXPECT_EQ(suspicion_min_timeout(4, 1000, Millis{1000}), seconds{12});
}

TEST(Timing, SuspicionTimeoutShrinksFromMaxToMinWithConfirmations) {
  const Millis min{4000}, max{24000};
  EXPECT_EQ(suspicion_timeout(0, 2, min, max), max);
  const Millis one = suspicion_timeout(1, 2, min, max);
  EXPECT_LT(one, max);
  EXPECT_GT(one, min);
  // log(2)/log(3) of the way down: 24 - 0.6309 * 20 = 11.38 s
  EXPECT_EQ(one, Millis{11381});
  EXPECT_EQ(suspicion_timeout(2, 2, min, max), min);
  EXPECT_EQ(suspicion_timeout(0, 0, min, max), min);
}

TEST(Timing, RetransmitLimitGrowsWithCeilLog10) {
  EXPECT_EQ(retransmit_limit(4, 1), 4);
  EXPECT_EQ(retransmit_limit(4, 9), 4);
  EXPECT_EQ(retransmit_limit(4, 10), 8);
  EXPECT_EQ(retransmit_limit(4, 999), 12);
  EXPECT_EQ(retransmit_limit(4, 1000), 16);
}

TEST(Timing, PushPullIntervalScalesAboveThirtyTwoNodes) {
  EXPECT_EQ(push_pull_scale(Millis{30000}, 32), Millis{30000});
  EXPECT_EQ(push_pull_scale(Millis{30000}, 33), Millis{60000});
  EXPECT_EQ(push_pull_scale(Millis{30000}, 1000), Millis{180000});
}

}  // namespace
}  // namespace constellation::gossip
