// The durable event journal: SQLite in WAL mode at DATA_DIR/journal.db with a versioned
// schema, indexed queries and retention by age and size. A Journal is not thread-safe: the
// agent owns it from one worker strand (JournalService) and never touches it elsewhere.
// A committed append survives kill -9 of the process (WAL, synchronous=NORMAL).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "shared/error.hpp"
#include "shared/event.hpp"

struct sqlite3;

namespace constellation::journal {

namespace sql {
class StatementCache;
}

/// Where the journal lives and how much it keeps.
struct Options {
  std::string path;  ///< database file, e.g. DATA_DIR/journal.db
  std::chrono::milliseconds max_age{std::chrono::hours(24 * 30)};
  std::int64_t max_bytes = 64ll << 20;
};

/// Size retention never goes below this many newest events, however small max_bytes is.
inline constexpr std::int64_t kRetentionKeepNewest = 100;

/// What the journal holds now.
struct Stats {
  std::int64_t events = 0;
  std::int64_t bytes = 0;  ///< database + WAL size on disk
  std::int64_t oldest_ms = 0;
  std::int64_t newest_ms = 0;
  std::int64_t last_id = 0;
  int schema_version = 0;
};

/// How many events one retention pass deleted, by rule.
struct RetentionReport {
  std::int64_t deleted_by_age = 0;
  std::int64_t deleted_by_size = 0;
};

/// One open journal database. Owns its SQLite connection and cached statements. Not
/// thread-safe: use it from one thread or strand at a time. Failures come back as values
/// (bad_config for files it refuses, unavailable for busy/full, internal otherwise).
class Journal {
 public:
  /// Opens or creates the database (parent directory too, file mode 0600), migrating the
  /// schema to the current version. A file that is not a journal or has a newer schema is a
  /// bad_config error naming the path, and the file is left untouched.
  static Result<std::unique_ptr<Journal>> open(const Options& options);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Appends and commits one event; fills time_ms if 0. Returns the new id. Ids only grow,
  /// also across deletions and reopening.
  Result<std::int64_t> append(const Event& event);
  /// Appends and commits several events in one transaction (all or none); their ids in order.
  Result<std::vector<std::int64_t>> append_batch(std::span<const Event> events);
  /// Matching events, oldest first. Without a lower bound (since_ms, after_id) these are the
  /// newest `limit` matches; with one, the oldest `limit` matches after it (forward paging).
  /// `limit` is clamped to [0, kMaxEventQueryLimit]; a kind ending in '.' is a prefix.
  Result<std::vector<Event>> query(const EventQuery& query);
  /// Deletes events older than max_age, then the oldest in batches while the files (database
  /// + WAL) exceed max_bytes, keeping at least kRetentionKeepNewest; returns the space to the
  /// filesystem (incremental vacuum + WAL checkpoint).
  Result<RetentionReport> enforce_retention(std::int64_t now_ms);
  /// Counts, sizes and schema version.
  Result<Stats> stats();
  /// New retention limits, used from the next enforce_retention.
  void set_limits(std::chrono::milliseconds max_age, std::int64_t max_bytes);

 private:
  Journal(sqlite3* db, Options options);
  Result<std::int64_t> insert(const Event& event);
  Result<std::int64_t> delete_oldest(std::int64_t count);
  Result<bool> compact();
  std::int64_t disk_bytes() const;

  sqlite3* db_;
  Options options_;
  std::unique_ptr<sql::StatementCache> statements_;
};

}  // namespace constellation::journal
