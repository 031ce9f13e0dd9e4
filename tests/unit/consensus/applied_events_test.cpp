// Applied FSM commands become journal events on every replica: grants, hand-overs, releases,
// expiries, cordons and config changes — never renewals, refusals or duplicate replays — and
// a restarted node does not journal again what it journaled before.
#include "agent/consensus/applied_events.hpp"

#include <gtest/gtest.h>

namespace constellation::consensus {
namespace {

/// Applies `command` to `fsm` and returns the event it yields.
std::optional<Event> event_of(StateMachine& fsm, const Command& command) {
  return applied_event(command, fsm.apply_command(command));
}

LeaseGrant grant(std::string id, std::string holder, std::optional<std::uint64_t> expect = {},
                 std::int64_t now = 0) {
  return LeaseGrant{.id = std::move(id),
                    .lease = "lb-leader",
                    .holder = std::move(holder),
                    .ttl_ms = 3000,
                    .now_ms = now,
                    .clock = "L",
                    .expect_revision = expect};
}

TEST(AppliedEvents, GrantThenTakeOverNameTheNewAndPreviousHolderAndToken) {
  StateMachine fsm;
  auto granted = event_of(fsm, grant("g1", "a"));
  ASSERT_TRUE(granted);
  EXPECT_EQ(granted->kind, "lease.granted");
  EXPECT_EQ(granted->subject, "lb-leader");
  EXPECT_EQ(granted->detail["holder"], "a");
  EXPECT_EQ(granted->detail["token"], 1);
  EXPECT_TRUE(granted->detail["previous_holder"].is_null());
  EXPECT_EQ(granted->detail["command_id"], "g1");

  auto taken = event_of(fsm, grant("g2", "b", 1, 5000));
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->kind, "lease.taken_over");
  EXPECT_EQ(taken->detail["holder"], "b");
  EXPECT_EQ(taken->detail["previous_holder"], "a");
  EXPECT_EQ(taken->detail["token"], 2);
}

TEST(AppliedEvents, RenewalsRefusalsAndDuplicateReplaysAreNotJournaled) {
  StateMachine fsm;
  ASSERT_TRUE(event_of(fsm, grant("g1", "a")));
  EXPECT_FALSE(event_of(
      fsm,
      LeaseRenew{
          .id = "r1", .lease = "lb-leader", .holder = "a", .token = 1, .now_ms = 1, .clock = "L"}));
  EXPECT_FALSE(event_of(fsm, grant("g1", "a"))) << "a replay of the same id";
  EXPECT_FALSE(event_of(fsm, grant("g3", "b"))) << "refused: held, no expect_revision";
}

TEST(AppliedEvents, ReleaseAndExpiryNameThePreviousHolder) {
  StateMachine fsm;
  ASSERT_TRUE(event_of(fsm, grant("g1", "a")));
  auto released = event_of(
      fsm,
      LeaseRelease{
          .id = "x", .lease = "lb-leader", .holder = "a", .token = 1, .now_ms = 1, .clock = "L"});
  ASSERT_TRUE(released);
  EXPECT_EQ(released->kind, "lease.released");
  EXPECT_TRUE(released->detail["holder"].is_null());
  EXPECT_EQ(released->detail["previous_holder"], "a");
  EXPECT_EQ(released->actor, "a");

  ASSERT_TRUE(event_of(fsm, grant("g2", "b")));
  auto expired = event_of(
      fsm,
      LeaseExpire{
          .id = "e", .lease = "lb-leader", .expect_revision = 3, .now_ms = 99'999, .clock = "L"});
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->kind, "lease.expired");
  EXPECT_EQ(expired->detail["previous_holder"], "b");
  EXPECT_EQ(expired->detail["token"], 2);
}

TEST(AppliedEvents, CordonUncordonAndConfigCarryTheirDetail) {
  StateMachine fsm;
  auto cordoned = event_of(
      fsm,
      CordonNode{
          .id = "c1", .node = "n1", .reason = "disk swap", .actor = "api:unix", .at_unix_ms = 7});
  ASSERT_TRUE(cordoned);
  EXPECT_EQ(cordoned->kind, "node.cordoned");
  EXPECT_EQ(cordoned->subject, "n1");
  EXPECT_EQ(cordoned->actor, "api:unix");
  EXPECT_EQ(cordoned->detail["reason"], "disk swap");
  EXPECT_EQ(cordoned->detail["actor"], "api:unix");
  EXPECT_FALSE(event_of(fsm, CordonNode{.id = "c2", .node = "n1", .reason = "again"}))
      << "a refused double cordon";
  auto uncordoned =
      event_of(fsm, UncordonNode{.id = "u1", .node = "n1", .actor = "op", .at_unix_ms = 8});
  ASSERT_TRUE(uncordoned);
  EXPECT_EQ(uncordoned->kind, "node.uncordoned");
  auto config = event_of(fsm, SetConfig{.id = "s1", .values = {{"leases", 2}}});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->kind, "cluster.config_changed");
  EXPECT_EQ(config->detail["version"], 1);
  EXPECT_EQ(config->detail["keys"], nlohmann::json::array({"leases"}));
}

TEST(AppliedEventJournal, HoldsEventsUntilSeededAndSkipsThoseAlreadyJournaled) {
  std::vector<Event> published;
  AppliedEventJournal journal([&published](Event e) { published.push_back(std::move(e)); });
  StateMachine fsm;
  auto apply = [&](const Command& c) {
    journal.applied(encode(c), encode_result(fsm.apply_command(c)));
  };
  apply(CordonNode{.id = "old", .node = "a", .reason = "r", .actor = "op"});
  apply(UncordonNode{.id = "new", .node = "a", .actor = "op"});
  EXPECT_TRUE(published.empty()) << "nothing before the journal was read";
  journal.seed({"old"});
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].kind, "node.uncordoned");
  apply(CordonNode{.id = "later", .node = "a", .reason = "r2", .actor = "op"});
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(applied_command_id(published[1]), "later");
}

TEST(AppliedEventJournal, IgnoresBytesThatAreNotACommand) {
  int published = 0;
  AppliedEventJournal journal([&published](Event) { ++published; });
  journal.seed({});
  journal.applied("not json", "{}");
  EXPECT_EQ(published, 0);
}

}  // namespace
}  // namespace constellation::consensus
