// The journal's on-disk schema: connection settings and the ordered list of migrations that
// PRAGMA user_version tracks. Kept apart from Journal so a new schema version is one new row.
#pragma once

#include <span>
#include <string_view>

#include <sqlite3.h>

#include "shared/error.hpp"

namespace constellation::journal::schema {

/// One schema step: running `sql` on a database at version `version - 1` brings it to
/// `version`. Rows are ordered by version, starting at 1, without gaps.
struct Migration {
  int version;
  const char* sql;
};

/// Every migration, oldest first.
std::span<const Migration> migrations();
/// The newest schema version this build understands (the last migration's version).
int latest_version();

/// Prepares a freshly opened connection: refuses files that are not SQLite databases, are
/// damaged (quick_check), are other applications' databases or have a newer schema
/// (bad_config naming `path`), sets
/// WAL, synchronous=NORMAL, busy_timeout, foreign_keys and (on a new file) incremental
/// auto-vacuum, then applies pending migrations, each in its own transaction. Never writes to
/// a file it refuses.
Status prepare(sqlite3* db, std::string_view path);

}  // namespace constellation::journal::schema
