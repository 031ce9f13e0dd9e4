// Opening the journal: the file it creates (mode, pragmas, schema) and the files it refuses
// (newer schema, not SQLite, another application's database) without touching them.
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "agent/journal/journal.hpp"
#include "agent/journal/schema.hpp"
#include "tests/unit/journal/builders.hpp"
#include "tests/unit/journal/temp_dir.hpp"

namespace constellation::journal {
namespace {

using testing::make_event;
using testing::TempDir;

// Runs SQL on a database with a plain SQLite connection, outside the Journal.
std::string raw_query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  std::string result;
  sqlite3_exec(
      db, sql.c_str(),
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) = values[0] != nullptr ? values[0] : "";
        return 0;
      },
      &result, nullptr);
  sqlite3_close(db);
  return result;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(JournalOpen, CreatesParentDirectoryAndPrivateFile) {
  TempDir dir;
  const std::string path = dir.file("data/nested/journal.db");
  auto journal = Journal::open({.path = path});
  ASSERT_TRUE(journal) << journal.error().message;
  ASSERT_TRUE((*journal)->append(make_event("note")));
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((path + "-wal").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(JournalOpen, NewDatabaseUsesWalIncrementalVacuumAndLatestSchema) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  {
    auto journal = Journal::open({.path = path});
    ASSERT_TRUE(journal) << journal.error().message;
    auto stats = (*journal)->stats();
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->schema_version, schema::latest_version());
    EXPECT_EQ(stats->events, 0);
  }
  EXPECT_EQ(raw_query(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw_query(path, "PRAGMA auto_vacuum"), "2");  // 2 = incremental
  EXPECT_EQ(raw_query(path, "PRAGMA user_version"), std::to_string(schema::latest_version()));
  EXPECT_EQ(raw_query(path,
                      "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                      "name IN ('events_time', 'events_kind_time', 'events_subject_time')"),
            "3");
}

TEST(JournalSchema, MigrationsAreNumberedFromOneWithoutGaps) {
  int expected = 1;
  for (const auto& migration : schema::migrations()) EXPECT_EQ(migration.version, expected++);
  EXPECT_EQ(schema::latest_version(), expected - 1);
}

TEST(JournalOpen, RefusesNewerSchemaNamingFileAndBothVersions) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  { ASSERT_TRUE(Journal::open({.path = path})); }
  raw_query(path, "PRAGMA user_version = 99");
  auto journal = Journal::open({.path = path});
  ASSERT_FALSE(journal);
  EXPECT_EQ(journal.error().code, ErrorCode::bad_config);
  EXPECT_NE(journal.error().message.find(path), std::string::npos) << journal.error().message;
  EXPECT_NE(journal.error().message.find("99"), std::string::npos) << journal.error().message;
  EXPECT_NE(journal.error().message.find("version " + std::to_string(schema::latest_version())),
            std::string::npos)
      << journal.error().message;
  EXPECT_EQ(raw_query(path, "PRAGMA user_version"), "99");
}

TEST(JournalOpen, RefusesNonSqliteFileAndLeavesItUntouched) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  const std::string garbage(8192, 'x');
  { std::ofstream(path, std::ios::binary) << garbage; }
  auto journal = Journal::open({.path = path});
  ASSERT_FALSE(journal);
  EXPECT_EQ(journal.error().code, ErrorCode::bad_config);
  EXPECT_NE(journal.error().message.find(path), std::string::npos) << journal.error().message;
  EXPECT_NE(journal.error().message.find("not a Constellation journal"), std::string::npos)
      << journal.error().message;
  EXPECT_EQ(read_file(path), garbage);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST(JournalOpen, RefusesDamagedJournalAndLeavesItUntouched) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  {
    auto journal = Journal::open({.path = path});
    ASSERT_TRUE(journal);
    std::vector<Event> batch(2000,
                             make_event("note", 1, nlohmann::json{{"pad", std::string(200, 'p')}}));
    ASSERT_TRUE((*journal)->append_batch(batch));
  }  // closing checkpoints the WAL into the database file
  std::string bytes = read_file(path);
  ASSERT_GT(bytes.size(), 8u * 4096);
  std::fill_n(bytes.begin() + 4 * 4096, 4096, '\x5a');  // garbage over one b-tree page
  { std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes; }

  auto journal = Journal::open({.path = path});
  ASSERT_FALSE(journal);
  EXPECT_EQ(journal.error().code, ErrorCode::bad_config);
  EXPECT_NE(journal.error().message.find(path), std::string::npos) << journal.error().message;
  EXPECT_EQ(read_file(path), bytes);
}

TEST(JournalOpen, RefusesAnotherApplicationsDatabase) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  raw_query(path, "CREATE TABLE users(name TEXT)");
  auto journal = Journal::open({.path = path});
  ASSERT_FALSE(journal);
  EXPECT_EQ(journal.error().code, ErrorCode::bad_config);
  EXPECT_NE(journal.error().message.find(path), std::string::npos) << journal.error().message;
  EXPECT_EQ(raw_query(path, "SELECT count(*) FROM sqlite_master WHERE name = 'events'"), "0");
}

TEST(JournalOpen, ReopenKeepsEventsAndIdsKeepGrowingAfterDeletion) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  std::int64_t last = 0;
  {
    auto journal = Journal::open({.path = path, .max_age = std::chrono::milliseconds(1)});
    ASSERT_TRUE(journal);
    for (int i = 0; i < 3; ++i) last = *(*journal)->append(make_event("note", 1000));
    auto report = (*journal)->enforce_retention(10'000);
    ASSERT_TRUE(report);
    EXPECT_EQ(report->deleted_by_age, 3);
  }
  auto journal = Journal::open({.path = path});
  ASSERT_TRUE(journal);
  auto stats = (*journal)->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->events, 0);
  EXPECT_EQ(stats->last_id, last);
  auto id = (*journal)->append(make_event("note"));
  ASSERT_TRUE(id);
  EXPECT_GT(*id, last);
}

}  // namespace
}  // namespace constellation::journal
