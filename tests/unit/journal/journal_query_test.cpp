// Appending and querying: what goes in comes back (detail JSON included), every filter, kind
// prefixes, and the limit rule (tail without a lower bound, forward paging with one).
#include <gtest/gtest.h>

#include "agent/journal/journal.hpp"
#include "tests/unit/journal/builders.hpp"
#include "tests/unit/journal/temp_dir.hpp"

namespace constellation::journal {
namespace {

using testing::make_event;
using testing::Query;
using testing::TempDir;

class JournalQuery : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Journal::open({.path = dir_.file("journal.db")});
    ASSERT_TRUE(opened) << opened.error().message;
    journal_ = std::move(*opened);
  }

  std::int64_t add(std::int64_t time_ms, std::string kind, std::string subject = "") {
    auto id = journal_->append(
        make_event(std::move(kind), time_ms, nlohmann::json::object(), std::move(subject)));
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  std::vector<std::int64_t> ids(const EventQuery& query) {
    auto events = journal_->query(query);
    EXPECT_TRUE(events) << events.error().message;
    std::vector<std::int64_t> out;
    for (const auto& event : events.value_or(std::vector<Event>{})) out.push_back(event.id);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Journal> journal_;
};

TEST_F(JournalQuery, RoundTripsEveryFieldIncludingDetailJson) {
  Event event{.time_ms = 1234,
              .node = "node-a",
              .kind = "lease.granted",
              .subject = "dns-writer",
              .detail = {{"token", 7}, {"holders", {"a", "b"}}, {"nested", {{"ok", true}}}},
              .actor = "api:tcp:127.0.0.1"};
  auto id = journal_->append(event);
  ASSERT_TRUE(id);
  auto events = journal_->query({});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  const Event& stored = events->front();
  EXPECT_EQ(stored.id, *id);
  EXPECT_EQ(stored.time_ms, 1234);
  EXPECT_EQ(stored.node, "node-a");
  EXPECT_EQ(stored.kind, "lease.granted");
  EXPECT_EQ(stored.subject, "dns-writer");
  EXPECT_EQ(stored.detail, event.detail);
  EXPECT_EQ(stored.actor, "api:tcp:127.0.0.1");
}

TEST_F(JournalQuery, FillsTimeWhenZero) {
  const std::int64_t before = now_ms();
  ASSERT_TRUE(journal_->append(make_event("note")));
  auto events = journal_->query({});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_GE(events->front().time_ms, before);
}

TEST_F(JournalQuery, StoresInvalidUtf8DetailWithoutFailing) {
  auto id =
      journal_->append(make_event("note", 0, nlohmann::json{{"raw", std::string("\xff\xfe")}}));
  ASSERT_TRUE(id) << id.error().message;
  auto events = journal_->query({});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_TRUE(events->front().detail.contains("raw"));
}

TEST_F(JournalQuery, AppendBatchCommitsAllWithIncreasingIds) {
  std::vector<Event> batch(5, make_event("note", 10));
  auto batch_ids = journal_->append_batch(batch);
  ASSERT_TRUE(batch_ids) << batch_ids.error().message;
  ASSERT_EQ(batch_ids->size(), 5u);
  for (std::size_t i = 1; i < batch_ids->size(); ++i)
    EXPECT_EQ((*batch_ids)[i], (*batch_ids)[i - 1] + 1);
  EXPECT_EQ(ids({}), *batch_ids);
}

TEST_F(JournalQuery, FiltersByTimeRangeInclusive) {
  add(100, "a");
  auto at200 = add(200, "a");
  auto at300 = add(300, "a");
  add(400, "a");
  EXPECT_EQ(ids(Query().since(200).until(300)), (std::vector{at200, at300}));
  EXPECT_EQ(ids(Query().until(199)).size(), 1u);
  EXPECT_EQ(ids(Query().since(401)).size(), 0u);
}

TEST_F(JournalQuery, ExactKindDoesNotMatchLongerKinds) {
  auto agent = add(1, "agent");
  add(2, "agent.started");
  add(3, "agents");
  EXPECT_EQ(ids(Query().of_kind("agent")), (std::vector{agent}));
}

TEST_F(JournalQuery, KindEndingInDotIsAPrefix) {
  auto started = add(1, "agent.started");
  add(2, "agentx.started");
  auto stopping = add(3, "agent.stopping");
  add(4, "agent");
  add(5, "config.reloaded");
  auto deep = add(6, "agent.a.b");
  EXPECT_EQ(ids(Query().of_kind("agent.")), (std::vector{started, stopping, deep}));
}

TEST_F(JournalQuery, KindPrefixTreatsUnderscoreAndPercentLiterally) {
  auto literal = add(1, "a_b.x");
  add(2, "axb.x");
  add(3, "a%b.x");
  EXPECT_EQ(ids(Query().of_kind("a_b.")), (std::vector{literal}));
}

TEST_F(JournalQuery, FiltersBySubjectAndAfterId) {
  auto first = add(1, "k", "web");
  add(2, "k", "db");
  auto third = add(3, "k", "web");
  EXPECT_EQ(ids(Query().about("web")), (std::vector{first, third}));
  EXPECT_EQ(ids(Query().about("web").after(first)), (std::vector{third}));
  EXPECT_EQ(ids(Query().after(third)).size(), 0u);
}

TEST_F(JournalQuery, CombinesFilters) {
  add(100, "svc.up", "web");
  auto match = add(200, "svc.down", "web");
  add(200, "svc.down", "db");
  add(300, "svc.down", "web");
  add(200, "node.down", "web");
  EXPECT_EQ(ids(Query().since(150).until(250).of_kind("svc.").about("web")), (std::vector{match}));
}

TEST_F(JournalQuery, LimitAloneReturnsTheNewestOldestFirst) {
  std::vector<std::int64_t> all;
  for (int i = 0; i < 10; ++i) all.push_back(add(i, "note"));
  EXPECT_EQ(ids(Query().limited(3)), (std::vector{all[7], all[8], all[9]}));
}

TEST_F(JournalQuery, LimitWithFilterButNoLowerBoundReturnsNewestMatches) {
  std::vector<std::int64_t> notes;
  for (int i = 0; i < 6; ++i) {
    notes.push_back(add(i, "note"));
    add(i, "other");
  }
  EXPECT_EQ(ids(Query().of_kind("note").limited(2)), (std::vector{notes[4], notes[5]}));
}

TEST_F(JournalQuery, LimitWithLowerBoundPagesForward) {
  std::vector<std::int64_t> all;
  for (int i = 1; i <= 10; ++i) all.push_back(add(i * 10, "note"));
  EXPECT_EQ(ids(Query().after(all[2]).limited(3)), (std::vector{all[3], all[4], all[5]}));
  EXPECT_EQ(ids(Query().since(60).limited(2)), (std::vector{all[5], all[6]}));
}

TEST_F(JournalQuery, LimitIsClampedToTheMaximumAndZeroReturnsNothing) {
  std::vector<Event> batch(kMaxEventQueryLimit + 5, make_event("note", 1));
  ASSERT_TRUE(journal_->append_batch(batch));
  auto events = journal_->query(Query().limited(kMaxEventQueryLimit * 2));
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), static_cast<std::size_t>(kMaxEventQueryLimit));
  EXPECT_EQ(ids(Query().limited(0)).size(), 0u);
  EXPECT_EQ(ids(Query().limited(-5)).size(), 0u);
}

TEST_F(JournalQuery, StatsReportCountsTimesAndLastId) {
  add(500, "a");
  add(100, "a");
  auto last = add(300, "a");
  auto stats = journal_->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->events, 3);
  EXPECT_EQ(stats->oldest_ms, 100);
  EXPECT_EQ(stats->newest_ms, 500);
  EXPECT_EQ(stats->last_id, last);
  EXPECT_GT(stats->bytes, 0);
}

}  // namespace
}  // namespace constellation::journal
