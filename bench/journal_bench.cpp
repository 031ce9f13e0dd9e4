// Journal micro benchmarks: append (one per transaction and 100 per transaction) and a query
// of the newest 100 events in a 100k-event journal, each beside a raw-SQLite anchor doing the
// same work with a plain prepared statement on the same schema and pragmas. Ends with one
// table: our figure, the anchor's, and the ratio. Usage: journal_bench [benchmark flags].
#include <sqlite3.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/paired_reporter.hpp"

#include "agent/journal/journal.hpp"

namespace {

using constellation::Event;
using constellation::EventQuery;
using constellation::journal::Journal;

constexpr int kBatch = 100;
constexpr int kQueryJournalEvents = 100'000;

// The schema and pragmas the journal uses (agent/journal/schema.cpp), for the anchors.
constexpr const char* kAnchorSetup =
    "PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
    "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " time_ms INTEGER NOT NULL, node TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL,"
    " subject TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{}',"
    " actor TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS events_time ON events(time_ms);"
    "CREATE INDEX IF NOT EXISTS events_kind_time ON events(kind, time_ms);"
    "CREATE INDEX IF NOT EXISTS events_subject_time ON events(subject, time_ms);";
constexpr const char* kAnchorInsert =
    "INSERT INTO events (time_ms, node, kind, subject, detail, actor) VALUES (?1,?2,?3,?4,?5,?6)";

const std::filesystem::path& bench_dir() {
  static const std::filesystem::path dir = [] {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "journal-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    return std::filesystem::path(pattern);
  }();
  return dir;
}

std::string fresh_path(const std::string& name) {
  auto path = bench_dir() / name;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

Event sample_event(std::int64_t seq) {
  Event event;
  event.time_ms = 1'700'000'000'000 + seq;
  event.node = "node-1";
  event.kind = "service.health";
  event.subject = "web";
  event.detail = {{"healthy", true}, {"container", "3f2a9c"}, {"seq", seq}};
  event.actor = "agent";
  return event;
}

std::unique_ptr<Journal> open_journal(const std::string& path) {
  auto journal = Journal::open({.path = path});
  if (!journal) {
    std::fprintf(stderr, "journal_bench: %s\n", journal.error().message.c_str());
    std::abort();
  }
  return std::move(*journal);
}

// --- ours ---------------------------------------------------------------------------------

void BM_JournalAppend(benchmark::State& state) {
  auto journal = open_journal(fresh_path("append.db"));
  std::int64_t seq = 0;
  for (auto _ : state) benchmark::DoNotOptimize(journal->append(sample_event(seq++)));
  state.SetItemsProcessed(state.iterations());
}

void BM_JournalAppendBatch100(benchmark::State& state) {
  auto journal = open_journal(fresh_path("batch.db"));
  std::vector<Event> batch;
  for (int i = 0; i < kBatch; ++i) batch.push_back(sample_event(i));
  for (auto _ : state) benchmark::DoNotOptimize(journal->append_batch(batch));
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// One 100k-event journal shared by both query benchmarks, built on first use.
const std::string& query_journal_path() {
  static const std::string path = [] {
    auto path = fresh_path("query.db");
    auto journal = open_journal(path);
    std::vector<Event> batch;
    for (int i = 0; i < kQueryJournalEvents; ++i) {
      batch.push_back(sample_event(i));
      if (batch.size() == 1000) {
        if (!journal->append_batch(batch)) std::abort();
        batch.clear();
      }
    }
    return path;
  }();
  return path;
}

void BM_JournalQueryLast100(benchmark::State& state) {
  auto journal = open_journal(query_journal_path());
  EventQuery query;
  query.limit = 100;
  for (auto _ : state) {
    auto events = journal->query(query);
    if (!events || events->size() != 100) state.SkipWithError("query failed");
    benchmark::DoNotOptimize(events);
  }
  state.SetItemsProcessed(state.iterations());
}

// --- anchors: raw SQLite, same schema and pragmas, no wrapper --------------------------------

struct RawDb {
  explicit RawDb(const std::string& path) {
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, kAnchorSetup, nullptr, nullptr, nullptr);
    sqlite3_prepare_v2(db, kAnchorInsert, -1, &insert, nullptr);
  }
  ~RawDb() {
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }
  // Same work as Journal::append: serialise the detail, bind, step, reset.
  void add(std::int64_t seq) {
    const Event event = sample_event(seq);
    const std::string detail = event.detail.dump();
    sqlite3_bind_int64(insert, 1, event.time_ms);
    sqlite3_bind_text(insert, 2, event.node.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, event.kind.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, event.subject.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 5, detail.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 6, event.actor.c_str(), -1, SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) std::abort();
    sqlite3_reset(insert);
  }
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
};

void BM_SqliteAppend(benchmark::State& state) {
  RawDb raw(fresh_path("raw-append.db"));
  std::int64_t seq = 0;
  for (auto _ : state) raw.add(seq++);
  state.SetItemsProcessed(state.iterations());
}

void BM_SqliteAppendBatch100(benchmark::State& state) {
  RawDb raw(fresh_path("raw-batch.db"));
  for (auto _ : state) {
    sqlite3_exec(raw.db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (int i = 0; i < kBatch; ++i) raw.add(i);
    sqlite3_exec(raw.db, "COMMIT", nullptr, nullptr, nullptr);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// Reads the same rows into Events; the detail stays text (the journal also parses the JSON).
void BM_SqliteQueryLast100(benchmark::State& state) {
  RawDb raw(query_journal_path());
  sqlite3_stmt* select = nullptr;
  sqlite3_prepare_v2(raw.db,
                     "SELECT id, time_ms, node, kind, subject, detail, actor FROM events"
                     " ORDER BY id DESC LIMIT 100",
                     -1, &select, nullptr);
  auto text = [select](int column) {
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(select, column)),
                       static_cast<std::size_t>(sqlite3_column_bytes(select, column)));
  };
  for (auto _ : state) {
    std::vector<Event> events;
    std::vector<std::string> details;
    while (sqlite3_step(select) == SQLITE_ROW) {
      Event event;
      event.id = sqlite3_column_int64(select, 0);
      event.time_ms = sqlite3_column_int64(select, 1);
      event.node = text(2);
      event.kind = text(3);
      event.subject = text(4);
      details.push_back(text(5));
      event.actor = text(6);
      events.push_back(std::move(event));
    }
    sqlite3_reset(select);
    if (events.size() != 100) state.SkipWithError("query failed");
    benchmark::DoNotOptimize(events);
  }
  sqlite3_finalize(select);
  state.SetItemsProcessed(state.iterations());
}

// Ours then the anchor, so they print next to each other.
BENCHMARK(BM_JournalAppend)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SqliteAppend)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_JournalAppendBatch100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SqliteAppendBatch100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_JournalQueryLast100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SqliteQueryLast100)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  constellation::bench::PairedReporter reporter(
      {
          {"BM_JournalAppend", "BM_SqliteAppend"},
          {"BM_JournalAppendBatch100", "BM_SqliteAppendBatch100"},
          {"BM_JournalQueryLast100", "BM_SqliteQueryLast100"},
      },
      "us per iteration", "raw sqlite");
  const int status = constellation::bench::run_paired(argc, argv, reporter);
  std::error_code ec;
  std::filesystem::remove_all(bench_dir(), ec);
  return status;
}
