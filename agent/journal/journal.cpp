// Journal: opening (file creation, schema), appends through cached statements, queries and
// stats. Retention lives in retention.cpp; the schema and pragmas in schema.cpp.
#include "agent/journal/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "agent/journal/query_plan.hpp"
#include "agent/journal/schema.hpp"
#include "agent/journal/sqlite.hpp"

namespace constellation::journal {
namespace {

constexpr const char* kInsertSql =
    "INSERT INTO events (time_ms, node, kind, subject, detail, actor) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

// Creates the parent directory and the file (mode 0600) before SQLite sees the path, so the
// database (and its -wal/-shm files, which SQLite gives the same mode) is private from birth.
Status create_file(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec)
    return fail(ErrorCode::bad_config, "journal " + path + ": cannot create directory " +
                                           parent.string() + ": " + ec.message());
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail(ErrorCode::bad_config,
                "journal " + path + ": cannot open: " + std::strerror(errno));
  ::close(fd);
  return {};
}

// Stored detail is JSON text we wrote; if it was edited into something else, keep it as a
// string rather than losing it or failing the whole query.
nlohmann::json parse_detail(const std::string& text) {
  if (text.empty()) return nlohmann::json::object();
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json(text) : parsed;
}

Event read_event(sqlite3_stmt* row) {
  Event event;
  event.id = sqlite3_column_int64(row, 0);
  event.time_ms = sqlite3_column_int64(row, 1);
  event.node = sql::column_text(row, 2);
  event.kind = sql::column_text(row, 3);
  event.subject = sql::column_text(row, 4);
  event.detail = parse_detail(sql::column_text(row, 5));
  event.actor = sql::column_text(row, 6);
  return event;
}

std::int64_t file_size(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(size);
}

}  // namespace

Result<std::unique_ptr<Journal>> Journal::open(const Options& options) {
  if (options.path.empty())
    return fail(ErrorCode::bad_config, "journal path is empty (set --data-dir or DATA_DIR)");
  if (auto created = create_file(options.path); !created) return std::unexpected(created.error());
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(options.path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  // From here the Journal owns `db` (even a failed open returns a handle to close).
  std::unique_ptr<Journal> journal(new Journal(db, options));
  if (rc != SQLITE_OK)
    return fail(ErrorCode::bad_config, "journal " + options.path + ": cannot open: " +
                                           (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  if (auto prepared = schema::prepare(db, options.path); !prepared)
    return std::unexpected(prepared.error());
  return journal;
}

Journal::Journal(sqlite3* db, Options options)
    : db_(db),
      options_(std::move(options)),
      statements_(std::make_unique<sql::StatementCache>(db, options_.path)) {}

Journal::~Journal() {
  statements_.reset();  // finalize before closing
  sqlite3_close_v2(db_);
}

void Journal::set_limits(std::chrono::milliseconds max_age, std::int64_t max_bytes) {
  options_.max_age = max_age;
  options_.max_bytes = max_bytes;
}

Result<std::int64_t> Journal::insert(const Event& event) {
  auto statement = statements_->get(kInsertSql);
  if (!statement) return std::unexpected(statement.error());
  sqlite3_stmt* insert = *statement;
  sql::ResetOnExit reset(insert);
  // replace: invalid UTF-8 in a detail string must not throw out of the journal.
  const std::string detail =
      event.detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  sqlite3_bind_int64(insert, 1, event.time_ms != 0 ? event.time_ms : now_ms());
  sql::bind_text(insert, 2, event.node);
  sql::bind_text(insert, 3, event.kind);
  sql::bind_text(insert, 4, event.subject);
  sql::bind_text(insert, 5, detail);
  sql::bind_text(insert, 6, event.actor);
  int rc = sqlite3_step(insert);
  if (rc != SQLITE_DONE)
    return std::unexpected(sql::error(db_, rc, options_.path, "appending an event"));
  return sqlite3_last_insert_rowid(db_);
}

Result<std::int64_t> Journal::append(const Event& event) {
  return insert(event);
}

Result<std::vector<std::int64_t>> Journal::append_batch(std::span<const Event> events) {
  auto transaction = sql::Transaction::begin(db_, options_.path);
  if (!transaction) return std::unexpected(transaction.error());
  std::vector<std::int64_t> ids;
  ids.reserve(events.size());
  for (const auto& event : events) {
    auto id = insert(event);
    if (!id) return std::unexpected(id.error());
    ids.push_back(*id);
  }
  if (auto committed = transaction->commit(); !committed) return std::unexpected(committed.error());
  return ids;
}

Result<std::vector<Event>> Journal::query(const EventQuery& query) {
  const QueryPlan plan = plan_query(query);
  auto statement = statements_->get(plan.sql);
  if (!statement) return std::unexpected(statement.error());
  sqlite3_stmt* select = *statement;
  sql::ResetOnExit reset(select);
  for (std::size_t i = 0; i < plan.params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const auto* number = std::get_if<std::int64_t>(&plan.params[i]))
      sqlite3_bind_int64(select, index, *number);
    else
      sql::bind_text(select, index, std::get<std::string>(plan.params[i]));
  }
  std::vector<Event> events;
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(select)) == SQLITE_ROW) events.push_back(read_event(select));
  if (rc != SQLITE_DONE)
    return std::unexpected(sql::error(db_, rc, options_.path, "querying events"));
  if (plan.newest_first) std::reverse(events.begin(), events.end());
  return events;
}

Result<Stats> Journal::stats() {
  auto statement = statements_->get(
      "SELECT count(*), coalesce(min(time_ms), 0), coalesce(max(time_ms), 0),"
      " coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) FROM events");
  if (!statement) return std::unexpected(statement.error());
  sqlite3_stmt* select = *statement;
  sql::ResetOnExit reset(select);
  int rc = sqlite3_step(select);
  if (rc != SQLITE_ROW)
    return std::unexpected(sql::error(db_, rc, options_.path, "reading journal stats"));
  Stats stats;
  stats.events = sqlite3_column_int64(select, 0);
  stats.oldest_ms = sqlite3_column_int64(select, 1);
  stats.newest_ms = sqlite3_column_int64(select, 2);
  stats.last_id = sqlite3_column_int64(select, 3);
  auto version = sql::query_int(db_, options_.path, "PRAGMA user_version");
  if (!version) return std::unexpected(version.error());
  stats.schema_version = static_cast<int>(*version);
  stats.bytes = disk_bytes();
  return stats;
}

std::int64_t Journal::disk_bytes() const {
  return file_size(options_.path) + file_size(options_.path + "-wal");
}

}  // namespace constellation::journal
