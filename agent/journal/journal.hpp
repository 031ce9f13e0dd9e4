// The durable event journal: SQLite in WAL mode at DATA_DIR/journal.db with a versioned
// schema, indexed queries and retention by age and size. A Journal is not thread-safe: the
// agent owns it from one worker strand (JournalService) and never touches it elsewhere.
// A committed append survives kill -9 of the process (WAL, synchronous=NORMAL).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shared/error.hpp"
#include "shared/event.hpp"

struct sqlite3;

namespace constellation::journal {

struct Options {
  std::string path;  ///< database file, e.g. DATA_DIR/journal.db
  std::chrono::milliseconds max_age{std::chrono::hours(24 * 30)};
  std::int64_t max_bytes = 64ll << 20;
};

struct Stats {
  std::int64_t events = 0;
  std::int64_t bytes = 0;  ///< database + WAL size on disk
  std::int64_t oldest_ms = 0;
  std::int64_t newest_ms = 0;
  std::int64_t last_id = 0;
  int schema_version = 0;
};

struct RetentionReport {
  std::int64_t deleted_by_age = 0;
  std::int64_t deleted_by_size = 0;
};

class Journal {
 public:
  /// Opens or creates the database, migrating the schema to the current version. A file that
  /// is not a journal or has a newer schema is an error naming the path.
  static Result<std::unique_ptr<Journal>> open(const Options& options);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Appends and commits one event; fills time_ms if 0. Returns the new id.
  Result<std::int64_t> append(const Event& event);
  /// Matching events, oldest first (the newest `limit` of the matches).
  Result<std::vector<Event>> query(const EventQuery& query);
  /// Deletes events older than max_age, then the oldest until under max_bytes.
  Result<RetentionReport> enforce_retention(std::int64_t now_ms);
  Result<Stats> stats();
  void set_limits(std::chrono::milliseconds max_age, std::int64_t max_bytes);

 private:
  Journal(sqlite3* db, Options options);
  sqlite3* db_;
  Options options_;
};

}  // namespace constellation::journal
