// Thin RAII and error helpers over the SQLite C API, private to the journal. They turn every
// SQLite failure into an Error that names the database path and carries SQLite's own message,
// so callers never handle raw result codes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <sqlite3.h>

#include "shared/error.hpp"

namespace constellation::journal::sql {

struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
/// An owned prepared statement; finalized on destruction.
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

/// The ErrorCode for an SQLite result code: unavailable for busy, locked and full disk
/// (retrying later may succeed), internal for everything else.
ErrorCode code_for(int rc);
/// "journal PATH: WHAT: <sqlite message>" with the code chosen by code_for(rc).
Error error(sqlite3* db, int rc, std::string_view path, std::string_view what);

/// Runs one or more statements that return no rows the caller needs.
Status exec(sqlite3* db, std::string_view path, const char* sql);
/// Prepares one statement; `persistent` hints that it will be cached and reused.
Result<Statement> prepare(sqlite3* db, std::string_view path, std::string_view sql,
                          bool persistent = false);
/// Runs a statement returning one integer (e.g. a PRAGMA); 0 when it returns no row.
Result<std::int64_t> query_int(sqlite3* db, std::string_view path, const char* sql);
/// Runs a statement returning one text value; empty when it returns no row.
Result<std::string> query_text(sqlite3* db, std::string_view path, const char* sql);
/// Column `index` of the current row as a string ("" for NULL).
std::string column_text(sqlite3_stmt* statement, int index);

/// Binds text without copying: the caller keeps `text` alive until the statement is reset.
int bind_text(sqlite3_stmt* statement, int index, std::string_view text);

/// Resets a cached statement and clears its bindings when the scope ends, so no cached
/// statement keeps a read transaction open (which would block checkpoints).
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* statement) : statement_(statement) {}
  ~ResetOnExit() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* statement_;
};

/// A write transaction (BEGIN IMMEDIATE) rolled back on destruction unless committed.
class Transaction {
 public:
  /// Begins the transaction. `path` (for error messages) must outlive it.
  static Result<Transaction> begin(sqlite3* db, std::string_view path);
  Transaction(Transaction&& other) noexcept
      : db_(std::exchange(other.db_, nullptr)), path_(other.path_) {}
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  /// Commits; after a failure the destructor rolls back.
  Status commit();

 private:
  Transaction(sqlite3* db, std::string_view path) : db_(db), path_(path) {}
  sqlite3* db_;
  std::string_view path_;
};

/// Prepared statements kept for the life of one connection, keyed by their SQL text. Not
/// thread-safe (owned by the Journal, used from its strand). Destroy before closing the db.
class StatementCache {
 public:
  StatementCache(sqlite3* db, std::string_view path) : db_(db), path_(path) {}
  /// The cached statement for `sql`, preparing it on first use. The pointer stays valid
  /// until the cache is destroyed; wrap each use in ResetOnExit.
  Result<sqlite3_stmt*> get(const std::string& sql);

 private:
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, Statement> statements_;
};

}  // namespace constellation::journal::sql
