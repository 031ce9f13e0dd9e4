// The operator's views and checks over consensus state: one lease in detail (expires-in only
// on the granting clock, why there is no holder), the leader by name, and the refusals a
// cordon or uncordon gets before anything is proposed.
#include "agent/consensus/operations.hpp"

#include "agent/consensus/views.hpp"

#include <gtest/gtest.h>

namespace constellation::consensus {
namespace {

StateMachine granted_to(const std::string& holder, const std::string& clock = "leader/1") {
  StateMachine fsm;
  EXPECT_TRUE(fsm.apply_command(LeaseGrant{.id = "g1",
                                           .lease = "lb-leader",
                                           .holder = holder,
                                           .ttl_ms = 3000,
                                           .now_ms = 1000,
                                           .clock = clock}));
  return fsm;
}

Candidate healthy(std::string node, int priority = 10) {
  return Candidate{.node = std::move(node), .healthy = true, .priority = priority};
}

TEST(LeaseView, ExpiresInIsComputedOnlyOnTheClockThatWroteTheRecord) {
  StateMachine fsm = granted_to("a");
  auto here = lease_json(fsm, "lb-leader", {.clock_id = "leader/1", .now_ms = 2500});
  ASSERT_TRUE(here) << here.error().message;
  EXPECT_EQ((*here)["holder"], "a");
  EXPECT_EQ((*here)["token"], 1);
  EXPECT_EQ((*here)["expires_in_ms"], 1500);
  EXPECT_FALSE(here->contains("no_holder_reason"));

  auto elsewhere = lease_json(fsm, "lb-leader", {.clock_id = "follower/7", .now_ms = 2500});
  ASSERT_TRUE(elsewhere);
  EXPECT_TRUE((*elsewhere)["expires_in_ms"].is_null());
  EXPECT_TRUE((*elsewhere)["acting"].is_null());
  EXPECT_EQ((*elsewhere)["history"].size(), 1u);
}

TEST(LeaseView, ExpiredGrantShowsZeroNotANegativeTime) {
  StateMachine fsm = granted_to("a");
  auto j = lease_json(fsm, "lb-leader", {.clock_id = "leader/1", .now_ms = 9000});
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["expires_in_ms"], 0);
}

TEST(LeaseView, UnknownLeaseIsNotFoundListingTheKnownOnes) {
  StateMachine fsm = granted_to("a");
  auto j =
      lease_json(fsm, "lb-leadr", {.specs = {LeaseSpec{.name = "dns-writer", .ttl_ms = 3000}}});
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, ErrorCode::not_found);
  EXPECT_EQ(j.error().message, "no lease named 'lb-leadr'; known leases: dns-writer, lb-leader");
}

TEST(LeaseView, UnknownLeaseWithNothingKnownSaysSo) {
  auto j = lease_json(StateMachine{}, "x", {});
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().message.find("no lease is configured or granted yet"), std::string::npos);
}

TEST(LeaseView, ConfiguredButNeverGrantedLeaseExplainsWhyNobodyHoldsIt) {
  Candidate cordoned = healthy("b");
  cordoned.cordoned = true;
  Candidate down{.node = "c", .healthy = false};
  auto j = lease_json(
      StateMachine{}, "dns-writer",
      {.candidates = {cordoned, down}, .specs = {LeaseSpec{.name = "dns-writer", .ttl_ms = 3000}}});
  ASSERT_TRUE(j) << j.error().message;
  EXPECT_TRUE((*j)["holder"].is_null());
  EXPECT_EQ((*j)["ttl_ms"], 3000);
  EXPECT_EQ((*j)["no_holder_reason"],
            "lease dns-writer has no holder: no eligible candidate: b is cordoned; c is not "
            "healthy in gossip");
}

TEST(LeaseView, FreeLeaseWithACandidateSaysWhoGetsItNext) {
  StateMachine fsm = granted_to("a");
  ASSERT_TRUE(fsm.apply_command(LeaseRelease{
      .id = "r", .lease = "lb-leader", .holder = "a", .token = 1, .now_ms = 2000, .clock = "x"}));
  auto j = lease_json(fsm, "lb-leader", {.candidates = {healthy("b", 20), healthy("a", 5)}});
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["no_holder_reason"],
            "lease lb-leader is free; a is the preferred candidate; the raft leader grants it "
            "on its next pass");
}

TEST(LeaseView, WithoutALeaderTheReasonSaysNoneCanBeGranted) {
  auto j = lease_json(StateMachine{}, "lb-leader",
                      {.specs = {LeaseSpec{.name = "lb-leader", .ttl_ms = 3000}},
                       .no_leader_reason = "no leader is known"});
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["no_holder_reason"],
            "lease lb-leader has no holder and none can be granted without a raft leader: no "
            "leader is known");
}

TEST(LeaseView, CarriesTheHoldersActingView) {
  StateMachine fsm = granted_to("a");
  nlohmann::json acting = {{"may_act", true}, {"acting_until_in_ms", 1200}};
  auto j = lease_json(fsm, "lb-leader", {.acting = acting});
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["acting"], acting);
}

TEST(LeaderView, NamesTheLeaderNodeOrExplainsWhyThereIsNone) {
  LogStatus s{.id = 1, .role = Role::follower, .term = 3, .members = {{1, "a:1", true}}};
  auto none = raft_leader_json(s, "");
  EXPECT_TRUE(none["leader"].is_null());
  EXPECT_NE(none["no_leader_reason"].get<std::string>().find("no leader is known (term 3"),
            std::string::npos);
  s.leader_id = 1;
  s.leader_address = "127.0.0.1:8300";
  auto some = raft_leader_json(s, "alpha");
  EXPECT_EQ(some["leader"],
            (nlohmann::json{{"node", "alpha"}, {"id", 1}, {"address", "127.0.0.1:8300"}}));
  EXPECT_FALSE(some.contains("no_leader_reason"));
  EXPECT_TRUE(raft_leader_json(s, "")["leader"]["node"].is_null());
}

TEST(LeaderView, RaftStatusGetsNodeNamesForTheLeaderAndMembers) {
  LogStatus s{.id = 1,
              .role = Role::leader,
              .leader_id = 1,
              .leader_address = "a:1",
              .members = {{1, "a:1", true}, {2, "b:1", false}}};
  nlohmann::json status = raft_status_json(s);
  name_raft_nodes(status, {{1, "alpha"}});
  EXPECT_EQ(status["leader"]["node"], "alpha");
  EXPECT_EQ(status["members"][0]["node"], "alpha");
  EXPECT_TRUE(status["members"][1]["node"].is_null()) << "not a gossip member (yet)";
}

TEST(CordonCheck, EmptyReasonIsAUsageErrorSayingReasonIsRequired) {
  auto ok = check_cordon(StateMachine{}, {"a"}, "a", "  ");
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(ok.error().message.find("--reason is required"), std::string::npos);
}

TEST(CordonCheck, UnknownNodeIsNotFoundNamingItAndTheKnownNodes) {
  auto ok = check_cordon(StateMachine{}, {"a", "b"}, "zz", "disk");
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, ErrorCode::not_found);
  EXPECT_EQ(ok.error().message, "no node named 'zz' in the cluster; known nodes: a, b");
}

TEST(CordonCheck, DoubleCordonIsAConflictNamingTheExistingCordon) {
  StateMachine fsm;
  ASSERT_TRUE(fsm.apply_command(CordonNode{.id = "c",
                                           .node = "a",
                                           .reason = "disk swap",
                                           .actor = "api:unix",
                                           .at_unix_ms = 1'700'000'000'000}));
  auto ok = check_cordon(fsm, {"a"}, "a", "again");
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, ErrorCode::conflict);
  EXPECT_EQ(ok.error().message,
            "node a is already cordoned by api:unix at 2023-11-14T22:13:20Z because disk swap; "
            "run uncordon first to replace the reason");
}

TEST(CordonCheck, ACordonedNodeThatLeftGossipCanStillBeUncordoned) {
  StateMachine fsm;
  ASSERT_TRUE(fsm.apply_command(
      CordonNode{.id = "c", .node = "gone", .reason = "r", .actor = "op", .at_unix_ms = 1}));
  EXPECT_TRUE(check_uncordon(fsm, {"a"}, "gone"));
  EXPECT_TRUE(check_cordon(fsm, {"a"}, "a", "disk"));
}

TEST(CordonCheck, UncordonOfANodeThatIsNotCordonedIsAConflict) {
  auto ok = check_uncordon(StateMachine{}, {"a"}, "a");
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, ErrorCode::conflict);
  EXPECT_EQ(ok.error().message, "node a is not cordoned; nothing to uncordon");
  auto unknown = check_uncordon(StateMachine{}, {"a"}, "q");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace constellation::consensus
