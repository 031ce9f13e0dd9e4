// SQLite helpers: error conversion, exec, prepare and single-value queries.
#include "agent/journal/sqlite.hpp"

namespace constellation::journal::sql {

ErrorCode code_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
      return ErrorCode::unavailable;
    default:
      return ErrorCode::internal;
  }
}

Error error(sqlite3* db, int rc, std::string_view path, std::string_view what) {
  // sqlite3_errmsg describes the most recent failure on the connection; fall back to the
  // generic text for the code when there is no connection.
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message = "journal " + std::string(path) + ": " + std::string(what) + ": " +
                        (detail != nullptr ? detail : "unknown SQLite error");
  return Error{code_for(rc), std::move(message)};
}

Status exec(sqlite3* db, std::string_view path, const char* sql) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(error(db, rc, path, sql));
  return {};
}

Result<Statement> prepare(sqlite3* db, std::string_view path, std::string_view sql,
                          bool persistent) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              persistent ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
  Statement statement(raw);
  if (rc != SQLITE_OK) return std::unexpected(error(db, rc, path, "preparing a statement"));
  return statement;
}

namespace {
// Steps a one-row statement; returns SQLITE_ROW, SQLITE_DONE or the error code.
Result<Statement> step_single(sqlite3* db, std::string_view path, const char* sql, int& rc) {
  auto statement = prepare(db, path, sql);
  if (!statement) return statement;
  rc = sqlite3_step(statement->get());
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return std::unexpected(error(db, rc, path, sql));
  return statement;
}
}  // namespace

Result<std::int64_t> query_int(sqlite3* db, std::string_view path, const char* sql) {
  int rc = SQLITE_OK;
  auto statement = step_single(db, path, sql, rc);
  if (!statement) return std::unexpected(statement.error());
  return rc == SQLITE_ROW ? sqlite3_column_int64(statement->get(), 0) : 0;
}

Result<std::string> query_text(sqlite3* db, std::string_view path, const char* sql) {
  int rc = SQLITE_OK;
  auto statement = step_single(db, path, sql, rc);
  if (!statement) return std::unexpected(statement.error());
  return rc == SQLITE_ROW ? column_text(statement->get(), 0) : std::string();
}

std::string column_text(sqlite3_stmt* statement, int index) {
  const auto* text = sqlite3_column_text(statement, index);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement, index)));
}

int bind_text(sqlite3_stmt* statement, int index, std::string_view text) {
  return sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_STATIC,
                             SQLITE_UTF8);
}

Result<Transaction> Transaction::begin(sqlite3* db, std::string_view path) {
  if (auto begun = exec(db, path, "BEGIN IMMEDIATE"); !begun) return std::unexpected(begun.error());
  return Transaction(db, path);
}

Transaction::~Transaction() {
  // Nothing to report to: a failed rollback leaves SQLite to roll back on the next statement.
  if (db_ != nullptr) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Status Transaction::commit() {
  auto committed = exec(db_, path_, "COMMIT");
  if (committed) db_ = nullptr;
  return committed;
}

Result<sqlite3_stmt*> StatementCache::get(const std::string& sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) return it->second.get();
  auto statement = prepare(db_, path_, sql, true);
  if (!statement) return std::unexpected(statement.error());
  auto* raw = statement->get();
  statements_.emplace(sql, std::move(*statement));
  return raw;
}

}  // namespace constellation::journal::sql
