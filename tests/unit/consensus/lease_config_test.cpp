// The `leases` and `raft_initial_voters` entries: the defaults parse, and each kind of bad
// entry is refused with a message naming the entry and the expected form.
#include "agent/consensus/lease_config.hpp"

#include <gtest/gtest.h>

namespace constellation::consensus {
namespace {

TEST(LeaseConfig, ParsesNameCapabilityAndTtl) {
  auto specs = lease_specs({"lb-leader:lb:1200ms", "cron:  :2s"}, 0);
  ASSERT_FALSE(specs) << "a blank capability with spaces is not a name";
  specs = lease_specs({"lb-leader:lb:1200ms", "cron::2s"}, 0);
  ASSERT_TRUE(specs) << specs.error().message;
  ASSERT_EQ(specs->size(), 2u);
  EXPECT_EQ((*specs)[0].name, "lb-leader");
  EXPECT_EQ((*specs)[0].capability, "lb");
  EXPECT_EQ((*specs)[0].ttl_ms, 1200);
  EXPECT_EQ((*specs)[1].capability, "") << "empty capability: any node";
  EXPECT_EQ(drift_margin_for(1200, 0), 120);
  EXPECT_EQ(drift_margin_for(1200, 50), 50);
}

TEST(LeaseConfig, BadEntriesNameTheEntryAndTheExpectedForm) {
  for (const char* bad : {"lb-leader", "lb-leader:lb", "lb-leader:lb:soon", "lb leader:lb:1s",
                          "lb-leader:lb:50ms", "a:b:1s:2"}) {
    auto specs = lease_specs({bad}, 0);
    ASSERT_FALSE(specs) << bad;
    EXPECT_EQ(specs.error().code, ErrorCode::bad_config);
    EXPECT_NE(specs.error().message.find(bad), std::string::npos) << specs.error().message;
    EXPECT_NE(specs.error().message.find("NAME:CAPABILITY:TTL"), std::string::npos);
  }
  auto twice = lease_specs({"x:lb:1s", "x:dns:1s"}, 0);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("listed twice"), std::string::npos);
}

TEST(LeaseConfig, RefusesADriftMarginThatLeavesNoRoomToRenew) {
  auto specs = lease_specs({"lb-leader:lb:1200ms"}, 900);
  ASSERT_FALSE(specs);
  EXPECT_NE(specs.error().message.find("lease_drift_margin"), std::string::npos)
      << specs.error().message;
}

TEST(InitialVoters, ParsesNodeAddressPairsThatIncludeThisNode) {
  auto voters = parse_initial_voters({"a=127.0.0.1:8301", "b=10.0.0.2:8300"}, "b");
  ASSERT_TRUE(voters) << voters.error().message;
  ASSERT_EQ(voters->size(), 2u);
  EXPECT_EQ((*voters)[1].node, "b");
  EXPECT_EQ((*voters)[1].address, "10.0.0.2:8300");
}

TEST(InitialVoters, RefusesBadEntriesAndAListWithoutThisNode) {
  for (auto bad : std::vector<std::vector<std::string>>{{"a"},
                                                        {"a=127.0.0.1"},
                                                        {"a=127.0.0.1:0"},
                                                        {"a=:80x"},
                                                        {"a=h:1", "a=h:2"},
                                                        {"a=h:1", "b=h:1"}}) {
    auto voters = parse_initial_voters(bad, "a");
    ASSERT_FALSE(voters) << bad[0];
    EXPECT_NE(voters.error().message.find("NODE=HOST:PORT"), std::string::npos)
        << voters.error().message;
  }
  auto without = parse_initial_voters({"a=h:1", "b=h:2"}, "c");
  ASSERT_FALSE(without);
  EXPECT_NE(without.error().message.find("c) is not in raft_initial_voters"), std::string::npos)
      << without.error().message;
}

}  // namespace
}  // namespace constellation::consensus
