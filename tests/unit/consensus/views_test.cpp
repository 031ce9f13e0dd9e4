// API views of consensus state: the raft status document with its no-leader explanation,
// and the leases/cordons listing.
#include "agent/consensus/views.hpp"

#include <gtest/gtest.h>

namespace constellation::consensus {
namespace {

LogStatus three_voters() {
  return LogStatus{
      .id = 2,
      .address = "10.0.0.2:8300",
      .role = Role::follower,
      .term = 7,
      .members = {
          {1, "10.0.0.1:8300", true}, {2, "10.0.0.2:8300", true}, {3, "10.0.0.3:8300", true}}};
}

TEST(RaftStatusView, ExplainsAMissingLeaderWithTheQuorumSize) {
  auto j = raft_status_json(three_voters());
  EXPECT_TRUE(j["leader"].is_null());
  EXPECT_EQ(j["role"], "follower");
  EXPECT_EQ(j["no_leader_reason"],
            "no leader is known (term 7, this node is follower): an election is under way, or "
            "fewer than 2 of the 3 voters can reach each other");
}

TEST(RaftStatusView, NamesTheLeaderAndOmitsTheReasonWhenThereIsOne) {
  LogStatus s = three_voters();
  s.leader_id = 1;
  s.leader_address = "10.0.0.1:8300";
  auto j = raft_status_json(s);
  EXPECT_EQ(j["leader"]["address"], "10.0.0.1:8300");
  EXPECT_FALSE(j.contains("no_leader_reason"));
  EXPECT_EQ(j["members"].size(), 3u);
}

TEST(RaftStatusView, NodeWithoutConfigurationIsToldItWaitsToBeAdded) {
  LogStatus s{.id = 9, .role = Role::follower};
  EXPECT_NE(no_leader_reason(s).find("waits to be added"), std::string::npos);
}

TEST(LeasesView, ListsHoldersTokensHistoryAndCordons) {
  StateMachine fsm;
  ASSERT_TRUE(fsm.apply_command(LeaseGrant{
      .id = "1", .lease = "dns-writer", .holder = "a", .ttl_ms = 3000, .now_ms = 5, .clock = "c"}));
  ASSERT_TRUE(fsm.apply_command(
      CordonNode{.id = "2", .node = "b", .reason = "r", .actor = "op", .at_unix_ms = 9}));
  auto j = leases_json(fsm);
  ASSERT_EQ(j["leases"].size(), 1u);
  EXPECT_EQ(j["leases"][0]["holder"], "a");
  EXPECT_EQ(j["leases"][0]["token"], 1);
  EXPECT_EQ(j["leases"][0]["history"][0]["kind"], "granted");
  EXPECT_EQ(j["cordons"][0]["node"], "b");
}

}  // namespace
}  // namespace constellation::consensus
