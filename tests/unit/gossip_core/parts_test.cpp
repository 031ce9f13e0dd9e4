// The core's parts on their own: suspicion confirmations, awareness clamping and scaling,
// the broadcast queue's invalidation, ordering and transmit limit, the probe order.
#include <gtest/gtest.h>

#include <set>

#include "agent/gossip/awareness.hpp"
#include "agent/gossip/broadcast_queue.hpp"
#include "agent/gossip/membership.hpp"
#include "agent/gossip/suspicion.hpp"

namespace constellation::gossip {
namespace {

const Suspicion::Instant kStart = Suspicion::Instant{} + std::chrono::hours(1);

TEST(Suspicion, IndependentConfirmationsPullTheDeadlineInToTheMinimum) {
  Suspicion s("a", 2, Millis{4000}, Millis{24000}, kStart);
  EXPECT_EQ(s.deadline(), kStart + Millis{24000});
  EXPECT_TRUE(s.confirm("b"));
  EXPECT_EQ(s.deadline(), kStart + Millis{11381});
  EXPECT_TRUE(s.confirm("c"));
  EXPECT_EQ(s.deadline(), kStart + Millis{4000});
  EXPECT_EQ(s.accusers().size(), 3u);
}

TEST(Suspicion, RepeatedOrOriginalAccusersAndConfirmationsBeyondKDoNotCount) {
  Suspicion s("a", 1, Millis{1000}, Millis{6000}, kStart);
  EXPECT_FALSE(s.confirm("a"));
  EXPECT_TRUE(s.confirm("b"));
  EXPECT_FALSE(s.confirm("b"));
  EXPECT_FALSE(s.confirm("c"));
  EXPECT_EQ(s.confirmations(), 1u);
}

TEST(Awareness, ScoreIsClampedAndScalesTimeouts) {
  Awareness a(8);
  a.apply_delta(-1);
  EXPECT_EQ(a.score(), 0);
  a.apply_delta(3);
  EXPECT_EQ(a.scale(Millis{500}), Millis{2000});
  a.apply_delta(100);
  EXPECT_EQ(a.score(), 7);
  a.apply_delta(-2);
  EXPECT_EQ(a.score(), 5);
}

TEST(BroadcastQueue, NewerMessageAboutTheSameKeyReplacesTheOlder) {
  BroadcastQueue q;
  const auto old_id = q.push("node-a", Bytes{1});
  q.push("node-b", Bytes{2});
  const auto new_id = q.push("node-a", Bytes{3});
  EXPECT_EQ(q.size(), 2u);
  EXPECT_FALSE(q.contains(old_id));
  EXPECT_TRUE(q.contains(new_id));
}

TEST(BroadcastQueue, UnkeyedMessagesAreNeverInvalidated) {
  BroadcastQueue q;
  q.push("", Bytes{1});
  q.push("", Bytes{2});
  EXPECT_EQ(q.size(), 2u);
}

TEST(BroadcastQueue, OffersFewestTransmissionsFirstAndDropsAtTheLimit) {
  BroadcastQueue q;
  const auto a = q.push("a", Bytes{1});
  const auto b = q.push("b", Bytes{2});
  const std::uint64_t sent[] = {a};
  q.mark_sent(sent, 2);
  auto c = q.candidates(10);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].id, b);
  EXPECT_EQ(c[1].id, a);
  q.mark_sent(sent, 2);
  EXPECT_FALSE(q.contains(a));
  EXPECT_EQ(q.size(), 1u);
}

TEST(BroadcastQueue, NewestFirstAmongEquallySentMessages) {
  BroadcastQueue q;
  q.push("a", Bytes{1});
  const auto b = q.push("b", Bytes{2});
  EXPECT_EQ(q.candidates(1).at(0).id, b);
}

TEST(MemberTable, ProbeOrderVisitsEveryProbeableMemberOncePerRound) {
  MemberTable table;
  std::mt19937_64 rng(3);
  for (const char* name : {"a", "b", "c", "d"}) table.insert(Member{.name = name}, rng);
  table.find("c")->state = MemberState::dead;
  std::multiset<std::string> seen;
  for (int i = 0; i < 6; ++i) {
    auto next =
        table.next_probe_target([](const Member& m) { return m.state == MemberState::alive; }, rng);
    ASSERT_TRUE(next);
    seen.insert(*next);
  }
  EXPECT_EQ(seen.count("c"), 0u);
  EXPECT_EQ(seen.count("a"), 2u);
  EXPECT_EQ(seen.count("b"), 2u);
  EXPECT_EQ(seen.count("d"), 2u);
}

TEST(MemberTable, NothingProbeableGivesNoTarget) {
  MemberTable table;
  std::mt19937_64 rng(3);
  table.insert(Member{.name = "self"}, rng);
  EXPECT_FALSE(table.next_probe_target([](const Member&) { return false; }, rng));
}

}  // namespace
}  // namespace constellation::gossip
