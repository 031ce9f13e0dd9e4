// Journal retention: age first, then size. Size is measured on disk (database + WAL) after
// handing freed pages back (incremental vacuum + truncating checkpoint), and the batch to
// delete is estimated from the live bytes per event so one or two rounds usually suffice.
#include "agent/journal/journal.hpp"

#include <algorithm>

#include "agent/journal/sqlite.hpp"

namespace constellation::journal {
namespace {

// Bounds the loop if estimates keep missing (e.g. a huge event among small ones).
constexpr int kMaxSizeRounds = 16;

// Aim below the limit so the next few appends don't trigger another round at once.
std::int64_t size_target(std::int64_t max_bytes) {
  return max_bytes - max_bytes / 10;
}

}  // namespace

Result<std::int64_t> Journal::delete_oldest(std::int64_t count) {
  auto statement = statements_->get(
      "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?1)");
  if (!statement) return std::unexpected(statement.error());
  sqlite3_stmt* remove = *statement;
  sql::ResetOnExit reset(remove);
  sqlite3_bind_int64(remove, 1, count);
  int rc = sqlite3_step(remove);
  if (rc != SQLITE_DONE)
    return std::unexpected(sql::error(db_, rc, options_.path, "deleting the oldest events"));
  return sqlite3_changes64(db_);
}

Result<bool> Journal::compact() {
  if (auto vacuum = sql::exec(db_, options_.path, "PRAGMA incremental_vacuum"); !vacuum)
    return std::unexpected(vacuum.error());
  // TRUNCATE copies the WAL into the database, truncates the database to its new page count
  // and empties the WAL. Column 0 is 1 when a reader elsewhere kept it from finishing.
  auto statement = sql::prepare(db_, options_.path, "PRAGMA wal_checkpoint(TRUNCATE)");
  if (!statement) return std::unexpected(statement.error());
  int rc = sqlite3_step(statement->get());
  if (rc != SQLITE_ROW)
    return std::unexpected(sql::error(db_, rc, options_.path, "checkpointing the WAL"));
  return sqlite3_column_int(statement->get(), 0) == 0;
}

Result<RetentionReport> Journal::enforce_retention(std::int64_t now_ms) {
  RetentionReport report;
  {
    auto statement = statements_->get("DELETE FROM events WHERE time_ms < ?1");
    if (!statement) return std::unexpected(statement.error());
    sqlite3_stmt* remove = *statement;
    sql::ResetOnExit reset(remove);
    sqlite3_bind_int64(remove, 1, now_ms - options_.max_age.count());
    int rc = sqlite3_step(remove);
    if (rc != SQLITE_DONE)
      return std::unexpected(sql::error(db_, rc, options_.path, "deleting expired events"));
    report.deleted_by_age = sqlite3_changes64(db_);
  }

  for (int round = 0; round < kMaxSizeRounds; ++round) {
    auto checkpointed = compact();
    if (!checkpointed) return std::unexpected(checkpointed.error());
    const std::int64_t bytes = disk_bytes();
    // Without a full checkpoint the WAL stays large whatever we delete; try next time.
    if (!*checkpointed || bytes <= options_.max_bytes) break;

    auto count = sql::query_int(db_, options_.path, "SELECT count(*) FROM events");
    auto pages = sql::query_int(db_, options_.path, "PRAGMA page_count");
    auto free_pages = sql::query_int(db_, options_.path, "PRAGMA freelist_count");
    auto page_size = sql::query_int(db_, options_.path, "PRAGMA page_size");
    for (const auto* value : {&count, &pages, &free_pages, &page_size})
      if (!*value) return std::unexpected(value->error());
    const std::int64_t deletable = *count - kRetentionKeepNewest;
    if (deletable <= 0) break;

    const std::int64_t live_bytes = std::max<std::int64_t>(1, (*pages - *free_pages) * *page_size);
    const std::int64_t per_event = std::max<std::int64_t>(1, live_bytes / *count);
    const std::int64_t excess = bytes - size_target(options_.max_bytes);
    const std::int64_t batch = std::clamp<std::int64_t>(excess / per_event + 1, 1, deletable);
    auto deleted = delete_oldest(batch);
    if (!deleted) return std::unexpected(deleted.error());
    report.deleted_by_size += *deleted;
  }
  return report;
}

}  // namespace constellation::journal
