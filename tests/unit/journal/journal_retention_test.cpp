// Retention: by age, then by size measured on disk, where the files must really shrink and
// the newest events always survive.
#include <filesystem>

#include <gtest/gtest.h>

#include "agent/journal/journal.hpp"
#include "tests/unit/journal/builders.hpp"
#include "tests/unit/journal/temp_dir.hpp"

namespace constellation::journal {
namespace {

using namespace std::chrono_literals;
using testing::make_event;
using testing::Query;
using testing::TempDir;

std::int64_t size_on_disk(const std::string& path) {
  std::int64_t total = 0;
  for (const auto& file : {path, path + "-wal"})
    if (std::filesystem::exists(file))
      total += static_cast<std::int64_t>(std::filesystem::file_size(file));
  return total;
}

// Appends `count` events of roughly 1 KiB each, one transaction per 500.
std::int64_t fill(Journal& journal, int count, std::int64_t time_ms) {
  const std::string padding(1000, 'p');
  std::vector<Event> batch;
  std::int64_t last = 0;
  for (int i = 0; i < count; ++i) {
    batch.push_back(make_event("note", time_ms, nlohmann::json{{"pad", padding}, {"i", i}}));
    if (batch.size() == 500 || i + 1 == count) {
      auto ids = journal.append_batch(batch);
      EXPECT_TRUE(ids) << ids.error().message;
      if (ids) last = ids->back();
      batch.clear();
    }
  }
  return last;
}

TEST(JournalRetention, DeletesOnlyEventsOlderThanMaxAge) {
  TempDir dir;
  auto journal = Journal::open({.path = dir.file("journal.db"), .max_age = 1h});
  ASSERT_TRUE(journal);
  const std::int64_t now = 10 * 3'600'000;
  const std::int64_t hour = 3'600'000;
  ASSERT_TRUE((*journal)->append(make_event("old", now - 3 * hour)));
  ASSERT_TRUE((*journal)->append(make_event("old", now - hour - 1)));
  auto kept_edge = (*journal)->append(make_event("edge", now - hour));
  auto kept_new = (*journal)->append(make_event("new", now - 1));
  auto report = (*journal)->enforce_retention(now);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->deleted_by_age, 2);
  EXPECT_EQ(report->deleted_by_size, 0);
  auto events = (*journal)->query({});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].id, *kept_edge);
  EXPECT_EQ((*events)[1].id, *kept_new);
}

TEST(JournalRetention, SetLimitsAppliesToTheNextPass) {
  TempDir dir;
  auto journal = Journal::open({.path = dir.file("journal.db"), .max_age = 24h});
  ASSERT_TRUE(journal);
  ASSERT_TRUE((*journal)->append(make_event("note", 1000)));
  auto untouched = (*journal)->enforce_retention(1000 + 3'600'000);
  ASSERT_TRUE(untouched);
  EXPECT_EQ(untouched->deleted_by_age, 0);
  (*journal)->set_limits(1min, 64 << 20);
  auto report = (*journal)->enforce_retention(1000 + 3'600'000);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->deleted_by_age, 1);
}

TEST(JournalRetention, ShrinksFilesBelowMaxBytesKeepingTheNewest) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  constexpr std::int64_t kMaxBytes = 512 * 1024;
  auto journal = Journal::open({.path = path, .max_age = 24h, .max_bytes = kMaxBytes});
  ASSERT_TRUE(journal);
  const std::int64_t now = 100'000;
  const std::int64_t newest = fill(**journal, 3000, now);
  ASSERT_GT(size_on_disk(path), 3 * kMaxBytes);

  auto report = (*journal)->enforce_retention(now);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->deleted_by_age, 0);
  EXPECT_GT(report->deleted_by_size, 0);
  EXPECT_LE(size_on_disk(path), kMaxBytes);

  auto stats = (*journal)->stats();
  ASSERT_TRUE(stats);
  EXPECT_LE(stats->bytes, kMaxBytes);
  EXPECT_EQ(stats->events, 3000 - report->deleted_by_size);
  EXPECT_GE(stats->events, kRetentionKeepNewest);
  auto tail = (*journal)->query(Query().limited(1));
  ASSERT_TRUE(tail);
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ(tail->front().id, newest);
}

TEST(JournalRetention, SizeLimitNeverDeletesTheNewestHundred) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  auto journal = Journal::open({.path = path, .max_age = 24h, .max_bytes = 1});
  ASSERT_TRUE(journal);
  const std::int64_t newest = fill(**journal, 400, 5000);
  auto report = (*journal)->enforce_retention(5000);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->deleted_by_size, 400 - kRetentionKeepNewest);
  auto events = (*journal)->query(Query().limited(1000));
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), static_cast<std::size_t>(kRetentionKeepNewest));
  EXPECT_EQ(events->back().id, newest);
  EXPECT_EQ(events->front().id, newest - kRetentionKeepNewest + 1);
}

TEST(JournalRetention, AgeRetentionMayEmptyTheJournal) {
  TempDir dir;
  auto journal = Journal::open({.path = dir.file("journal.db"), .max_age = 1min});
  ASSERT_TRUE(journal);
  fill(**journal, 150, 1000);
  auto report = (*journal)->enforce_retention(3'600'000);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->deleted_by_age, 150);
  auto stats = (*journal)->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->events, 0);
}

}  // namespace
}  // namespace constellation::journal
