// Journal schema: connection pragmas, version checks and the migration runner. The first
// statement on a new connection is a read, so a foreign or corrupt file is refused untouched.
#include "agent/journal/schema.hpp"

#include <array>
#include <string>

#include "agent/journal/sqlite.hpp"

namespace constellation::journal::schema {
namespace {

constexpr int kBusyTimeoutMs = 5000;

constexpr std::array kMigrations{
    Migration{1,
              "CREATE TABLE events ("
              " id INTEGER PRIMARY KEY AUTOINCREMENT,"
              " time_ms INTEGER NOT NULL,"
              " node TEXT NOT NULL DEFAULT '',"
              " kind TEXT NOT NULL,"
              " subject TEXT NOT NULL DEFAULT '',"
              " detail TEXT NOT NULL DEFAULT '{}',"  // JSON text
              " actor TEXT NOT NULL DEFAULT '');"
              "CREATE INDEX events_time ON events(time_ms);"
              "CREATE INDEX events_kind_time ON events(kind, time_ms);"
              "CREATE INDEX events_subject_time ON events(subject, time_ms);"},
};

consteval bool migrations_are_ordered() {
  for (std::size_t i = 0; i < kMigrations.size(); ++i)
    if (kMigrations[i].version != static_cast<int>(i) + 1) return false;
  return true;
}
static_assert(migrations_are_ordered(), "migrations must be numbered 1, 2, 3... in order");

Error not_a_journal(std::string_view path, const std::string& why) {
  return Error{ErrorCode::bad_config,
               "journal " + std::string(path) + " is not a Constellation journal (" +
                   std::string(why) +
                   "); it was left untouched: move it aside or point --data-dir elsewhere"};
}

bool is_damaged(sqlite3* db) {
  const int rc = sqlite3_errcode(db) & 0xff;
  return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
}

// Reads user_version: the first statement on the connection, so a non-database is found here.
Result<int> read_version(sqlite3* db, std::string_view path) {
  auto version = sql::query_int(db, path, "PRAGMA user_version");
  if (version) return static_cast<int>(*version);
  if (is_damaged(db)) return std::unexpected(not_a_journal(path, sqlite3_errmsg(db)));
  return std::unexpected(version.error());
}

Status apply(sqlite3* db, std::string_view path, const Migration& migration) {
  auto transaction = sql::Transaction::begin(db, path);
  if (!transaction) return std::unexpected(transaction.error());
  if (auto ran = sql::exec(db, path, migration.sql); !ran) return ran;
  std::string bump = "PRAGMA user_version = " + std::to_string(migration.version);
  if (auto bumped = sql::exec(db, path, bump.c_str()); !bumped) return bumped;
  return transaction->commit();
}

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int latest_version() {
  return kMigrations.back().version;
}

Status prepare(sqlite3* db, std::string_view path) {
  auto version = read_version(db, path);
  if (!version) return std::unexpected(version.error());
  if (*version > latest_version())
    return fail(ErrorCode::bad_config,
                "journal " + std::string(path) + " has schema version " + std::to_string(*version) +
                    ", newer than version " + std::to_string(latest_version()) +
                    " that this constellation understands; upgrade constellation or move the "
                    "file aside");
  if (*version > 0) {
    // A damaged journal found now is a clear start-up error; found later, every append fails.
    auto check = sql::query_text(db, path, "PRAGMA quick_check(1)");
    if (!check && is_damaged(db)) return std::unexpected(not_a_journal(path, sqlite3_errmsg(db)));
    if (!check) return std::unexpected(check.error());
    if (*check != "ok") return std::unexpected(not_a_journal(path, "damaged: " + *check));
  }
  if (*version == 0) {
    auto tables = sql::query_int(db, path, "SELECT count(*) FROM sqlite_master");
    if (!tables) return std::unexpected(tables.error());
    if (*tables > 0)
      return std::unexpected(not_a_journal(path, "an SQLite database of another kind"));
    // Only possible before the first table exists; later it would need a full VACUUM.
    if (auto vacuum = sql::exec(db, path, "PRAGMA auto_vacuum = INCREMENTAL"); !vacuum)
      return vacuum;
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  auto mode = sql::query_text(db, path, "PRAGMA journal_mode = WAL");
  if (!mode) return std::unexpected(mode.error());
  if (*mode != "wal")
    return fail(ErrorCode::bad_config, "journal " + std::string(path) +
                                           ": the filesystem does not support WAL mode (got '" +
                                           *mode + "'); put DATA_DIR on a local filesystem");
  if (auto sync = sql::exec(db, path, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
      !sync)
    return sync;
  for (const auto& migration : kMigrations) {
    if (migration.version <= *version) continue;
    if (auto applied = apply(db, path, migration); !applied) return applied;
  }
  return {};
}

}  // namespace constellation::journal::schema
