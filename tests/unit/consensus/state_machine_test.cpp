// StateMachine: lease grants, renewals, take-overs, releases and expiries with fencing
// tokens; cordons; the config record; replay idempotence; snapshot and restore.
#include "agent/consensus/state_machine.hpp"

#include <gtest/gtest.h>

namespace constellation::consensus {
namespace {

int next_id = 0;
std::string fresh_id() {
  return "cmd-" + std::to_string(++next_id);
}

LeaseGrant grant(std::string holder, std::int64_t now, std::string clock = "L1",
                 std::optional<std::uint64_t> expect = std::nullopt) {
  return LeaseGrant{.id = fresh_id(),
                    .lease = "lb-leader",
                    .holder = std::move(holder),
                    .ttl_ms = 3000,
                    .now_ms = now,
                    .clock = std::move(clock),
                    .expect_revision = expect};
}

LeaseRenew renew(std::string holder, std::uint64_t token, std::int64_t now,
                 std::string clock = "L1") {
  return LeaseRenew{.id = fresh_id(),
                    .lease = "lb-leader",
                    .holder = std::move(holder),
                    .token = token,
                    .now_ms = now,
                    .clock = std::move(clock)};
}

CordonNode cordon(std::string node, std::string reason = "disk swap") {
  return CordonNode{.id = fresh_id(),
                    .node = std::move(node),
                    .reason = std::move(reason),
                    .actor = "alice",
                    .at_unix_ms = 1700000000000};
}

TEST(StateMachine, GrantOfAFreeLeaseGivesTokenOne) {
  StateMachine fsm;
  auto r = fsm.apply_command(grant("a", 100));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->token, 1u);
  EXPECT_EQ(fsm.lease("lb-leader")->holder, "a");
  EXPECT_EQ(fsm.lease("lb-leader")->renewed_at_ms, 100);
}

TEST(StateMachine, RefusesGrantToAnotherNodeWhileHeld) {
  StateMachine fsm;
  ASSERT_TRUE(fsm.apply_command(grant("a", 100)));
  auto r = fsm.apply_command(grant("b", 200));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_NE(r.error().message.find("held by a (token 1) until 3100 ms"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(fsm.lease("lb-leader")->holder, "a");
}

TEST(StateMachine, RenewalKeepsTheTokenAndBumpsTheRevision) {
  StateMachine fsm;
  auto g = fsm.apply_command(grant("a", 100));
  auto r = fsm.apply_command(renew("a", 1, 1100));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->token, 1u);
  EXPECT_GT(r->revision, g->revision);
  EXPECT_EQ(fsm.lease("lb-leader")->renewals, 1u);
  EXPECT_EQ(fsm.lease("lb-leader")->renewed_at_ms, 1100);
}

TEST(StateMachine, RenewalWithAStaleTokenIsRefusedAndSaysStopActing) {
  StateMachine fsm;
  ASSERT_TRUE(fsm.apply_command(grant("a", 100)));
  auto r = fsm.apply_command(renew("a", 7, 200));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("stop acting"), std::string::npos);
  auto other = fsm.apply_command(renew("b", 1, 200));
  EXPECT_FALSE(other);
}

TEST(StateMachine, TakeOverNeedsTheObservedRevisionAndAnExpiredGrant) {
  StateMachine fsm;
  auto g = fsm.apply_command(grant("a", 100));
  // Same clock, not yet expired.
  auto early = fsm.apply_command(grant("b", 3000, "L1", g->revision));
  ASSERT_FALSE(early);
  EXPECT_NE(early.error().message.find("not expired"), std::string::npos);
  // Expired on the same clock: granted, token grows.
  auto late = fsm.apply_command(grant("b", 3100, "L1", g->revision));
  ASSERT_TRUE(late) << late.error().message;
  EXPECT_EQ(late->token, 2u);
  EXPECT_EQ(fsm.lease("lb-leader")->holder, "b");
}

TEST(StateMachine, TakeOverIsRefusedWhenARenewalCommittedAfterTheObservation) {
  StateMachine fsm;
  auto g = fsm.apply_command(grant("a", 100));
  ASSERT_TRUE(fsm.apply_command(renew("a", 1, 1000)));
  // A new leader (other clock) observed revision g->revision and decided it expired.
  auto r = fsm.apply_command(grant("b", 5, "L2", g->revision));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("changed since the leader's observation"), std::string::npos);
  EXPECT_EQ(fsm.lease("lb-leader")->holder, "a");
}

TEST(StateMachine, TakeOverUnderANewLeaderClockTrustsTheRevision) {
  StateMachine fsm;
  auto g = fsm.apply_command(grant("a", 100'000));
  // The new leader's clock reads small numbers; only the revision can be compared.
  auto r = fsm.apply_command(grant("b", 4000, "L2", g->revision));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->token, 2u);
}

TEST(StateMachine, HolderCannotBeReGrantedItMustRenew) {
  StateMachine fsm;
  auto g = fsm.apply_command(grant("a", 100));
  auto r = fsm.apply_command(grant("a", 5000, "L1", g->revision));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("renews"), std::string::npos);
}

TEST(StateMachine, TokensGrowOnEveryChangeOfHolder) {
  StateMachine fsm;
  std::uint64_t last = 0;
  std::int64_t now = 0;
  const char* holders[] = {"a", "b", "a", "c", "b"};
  for (const char* h : holders) {
    const LeaseRecord* rec = fsm.lease("lb-leader");
    std::optional<std::uint64_t> expect;
    if (rec && !rec->holder.empty()) expect = rec->revision;
    now += 4000;
    auto r = fsm.apply_command(grant(h, now, "L1", expect));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_GT(r->token, last);
    last = r->token;
  }
  EXPECT_EQ(last, 5u);
}

TEST(StateMachine, ReleaseFreesTheLeaseAndTheNextGrantGetsANewToken) {
  StateMachine fsm;
  ASSERT_TRUE(fsm.apply_command(grant("a", 100)));
  auto rel = fsm.apply_command(LeaseRelease{.id = fresh_id(),
                                            .lease = "lb-leader",
                                            .holder = "a",
                                            .token = 1,
                                            .now_ms = 200,
                                            .clock = "L1"});
  ASSERT_TRUE(rel);
  EXPECT_TRUE(fsm.lease("lb-leader")->holder.empty());
  auto g = fsm.apply_command(grant("a", 300));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->token, 2u);
}

TEST(StateMachine, ReleaseByANonHolderIsRefused) {
  StateMachine fsm;
  ASSERT_TRUE(fsm.apply_command(grant("a", 100)));
  auto rel = fsm.apply_command(LeaseRelease{.id = fresh_id(),
                                            .lease = "lb-leader",
                                            .holder = "b",
                                            .token = 1,
                                            .now_ms = 200,
                                            .clock = "L1"});
  ASSERT_FALSE(rel);
  EXPECT_EQ(fsm.lease("lb-leader")->holder, "a");
}

TEST(StateMachine, ExpireFollowsTheSameRulesAsTakeOver) {
  StateMachine fsm;
  auto g = fsm.apply_command(grant("a", 100));
  auto early = fsm.apply_command(LeaseExpire{.id = fresh_id(),
                                             .lease = "lb-leader",
                                             .expect_revision = g->revision,
                                             .now_ms = 200,
                                             .clock = "L1"});
  EXPECT_FALSE(early);
  auto wrong = fsm.apply_command(LeaseExpire{.id = fresh_id(),
                                             .lease = "lb-leader",
                                             .expect_revision = g->revision + 5,
                                             .now_ms = 9000,
                                             .clock = "L1"});
  EXPECT_FALSE(wrong);
  auto done = fsm.apply_command(LeaseExpire{.id = fresh_id(),
                                            .lease = "lb-leader",
                                            .expect_revision = g->revision,
                                            .now_ms = 3100,
                                            .clock = "L1"});
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_TRUE(fsm.lease("lb-leader")->holder.empty());
  EXPECT_EQ(fsm.lease("lb-leader")->history.back().kind, "expired");
}

TEST(StateMachine, CordonRecordsWhoWhyAndWhenAndRefusesADoubleCordon) {
  StateMachine fsm;
  ASSERT_TRUE(fsm.apply_command(cordon("n2", "kernel upgrade")));
  const Cordon& c = fsm.cordons().at("n2");
  EXPECT_EQ(c.actor, "alice");
  EXPECT_EQ(c.reason, "kernel upgrade");
  EXPECT_EQ(c.at_unix_ms, 1700000000000);
  auto again = fsm.apply_command(cordon("n2", "other"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, "node n2 already cordoned by alice because kernel upgrade");
}

TEST(StateMachine, CordonWithoutAReasonIsRefused) {
  StateMachine fsm;
  auto r = fsm.apply_command(cordon("n2", ""));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_FALSE(fsm.cordoned("n2"));
}

TEST(StateMachine, UncordonOfANodeThatIsNotCordonedIsRefused) {
  StateMachine fsm;
  auto r = fsm.apply_command(
      UncordonNode{.id = fresh_id(), .node = "n3", .actor = "bob", .at_unix_ms = 1});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "node n3 is not cordoned");
  ASSERT_TRUE(fsm.apply_command(cordon("n3")));
  EXPECT_TRUE(fsm.apply_command(
      UncordonNode{.id = fresh_id(), .node = "n3", .actor = "bob", .at_unix_ms = 2}));
  EXPECT_FALSE(fsm.cordoned("n3"));
}

TEST(StateMachine, CordonedNodeIsNotGrantedAndCannotRenew) {
  StateMachine fsm;
  ASSERT_TRUE(fsm.apply_command(grant("a", 100)));
  ASSERT_TRUE(fsm.apply_command(cordon("a")));
  auto r = fsm.apply_command(renew("a", 1, 500));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("hand the lease over"), std::string::npos);
  ASSERT_TRUE(fsm.apply_command(cordon("b")));
  auto g = fsm.apply_command(LeaseGrant{.id = fresh_id(),
                                        .lease = "dns-writer",
                                        .holder = "b",
                                        .ttl_ms = 3000,
                                        .now_ms = 1,
                                        .clock = "L1"});
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().message.find("cordoned"), std::string::npos);
}

TEST(StateMachine, ReplayedCommandIdIsANoOpReturningTheFirstResult) {
  StateMachine fsm;
  LeaseGrant g = grant("a", 100);
  auto first = fsm.apply_command(g);
  ASSERT_TRUE(first);
  auto again = fsm.apply_command(g);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->token, first->token);
  EXPECT_EQ(fsm.lease("lb-leader")->token, 1u);
  EXPECT_EQ(fsm.lease("lb-leader")->revision, first->revision);
  // A refused command replays as the same refusal.
  CordonNode c = cordon("x", "");
  EXPECT_FALSE(fsm.apply_command(c));
  ASSERT_TRUE(fsm.result_of(c.id).has_value());
  EXPECT_FALSE(*fsm.result_of(c.id));
}

TEST(StateMachine, ConfigRecordIsReplacedAndVersioned) {
  StateMachine fsm;
  auto r = fsm.apply_command(
      SetConfig{.id = fresh_id(), .values = {{"voters", 3}, {"lease_ttl_ms", 3000}}});
  ASSERT_TRUE(r);
  EXPECT_EQ(fsm.config().version, 1u);
  EXPECT_EQ(fsm.config().values.at("voters"), 3);
  ASSERT_TRUE(fsm.apply_command(SetConfig{.id = fresh_id(), .values = {{"voters", 5}}}));
  EXPECT_EQ(fsm.config().version, 2u);
  EXPECT_FALSE(fsm.config().values.contains("lease_ttl_ms"));
}

TEST(StateMachine, ByteInterfaceIgnoresPaddingAndReportsMalformedCommands) {
  StateMachine fsm;
  std::string bytes = encode(grant("a", 100));
  bytes.append(8 - bytes.size() % 8, '\0');
  auto r = decode_result(fsm.apply(bytes));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->token, 1u);
  auto bad = decode_result(fsm.apply("{\"op\":\"lease_grant\",\"id\":\"z\"}"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "lease_grant command lacks the field \"lease\"");
  auto junk = decode_result(fsm.apply("not json"));
  ASSERT_FALSE(junk);
  auto unknown = decode_result(fsm.apply("{\"op\":\"explode\",\"id\":\"q\"}"));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown command op \"explode\""), std::string::npos);
}

TEST(StateMachine, EveryCommandSurvivesEncodeAndDecode) {
  std::vector<Command> all{
      grant("a", 1, "L1", 4),
      renew("a", 2, 3),
      LeaseRelease{.id = "r", .lease = "l", .holder = "h", .token = 9, .now_ms = -5, .clock = "c"},
      LeaseExpire{.id = "e", .lease = "l", .expect_revision = 3, .now_ms = 7, .clock = "c"},
      cordon("n"),
      UncordonNode{.id = "u", .node = "n", .actor = "a", .at_unix_ms = 8},
      SetConfig{.id = "s", .values = {{"k", "v"}}}};
  for (const Command& c : all) {
    auto back = decode(encode(c));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(encode(*back), encode(c));
  }
}

TEST(StateMachine, SnapshotRestoresAnIdenticalStateIncludingRememberedIds) {
  StateMachine fsm;
  LeaseGrant g = grant("a", 100);
  ASSERT_TRUE(fsm.apply_command(g));
  ASSERT_TRUE(fsm.apply_command(renew("a", 1, 900)));
  ASSERT_TRUE(fsm.apply_command(cordon("n9", "flaky NIC")));
  ASSERT_TRUE(fsm.apply_command(SetConfig{.id = fresh_id(), .values = {{"voters", 5}}}));
  const std::string snap = fsm.snapshot();

  StateMachine copy;
  ASSERT_TRUE(copy.restore(snap));
  EXPECT_EQ(copy.snapshot(), snap);
  EXPECT_EQ(copy.lease("lb-leader")->renewals, 1u);
  EXPECT_EQ(copy.cordons().at("n9").reason, "flaky NIC");
  auto replay = copy.apply_command(g);
  ASSERT_TRUE(replay);
  EXPECT_TRUE(replay->duplicate);
}

TEST(StateMachine, DamagedSnapshotIsRefusedAndLeavesTheStateAlone) {
  StateMachine fsm;
  ASSERT_TRUE(fsm.apply_command(cordon("n1")));
  EXPECT_FALSE(fsm.restore("{\"format\":1,\"leases\":[]}"));
  EXPECT_FALSE(fsm.restore("garbage"));
  EXPECT_TRUE(fsm.cordoned("n1"));
}

TEST(StateMachine, RemembersOnlyARecentWindowOfIds) {
  StateMachine fsm;
  CordonNode first = cordon("n0");
  ASSERT_TRUE(fsm.apply_command(first));
  for (std::size_t i = 0; i < kRememberedCommands; ++i)
    fsm.apply_command(SetConfig{.id = fresh_id(), .values = nlohmann::json::object()});
  EXPECT_FALSE(fsm.result_of(first.id).has_value());
  EXPECT_EQ(fsm.lease("nothing"), nullptr);
}

TEST(StateMachine, LeaseHistoryIsBounded) {
  StateMachine fsm;
  std::int64_t now = 0;
  for (int i = 0; i < 40; ++i) {
    const LeaseRecord* rec = fsm.lease("lb-leader");
    std::optional<std::uint64_t> expect;
    if (rec && !rec->holder.empty()) expect = rec->revision;
    now += 4000;
    ASSERT_TRUE(fsm.apply_command(grant(i % 2 ? "a" : "b", now, "L1", expect)));
  }
  EXPECT_EQ(fsm.lease("lb-leader")->history.size(), kLeaseHistory);
  EXPECT_EQ(fsm.lease("lb-leader")->history.back().token, 40u);
}

}  // namespace
}  // namespace constellation::consensus
