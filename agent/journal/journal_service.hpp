// JournalService runs the Journal on a strand of the worker pool so SQLite never blocks the
// agent's loop thread. Every completion comes back on the loop executor. The service owns the
// Journal; nothing else touches it. Call it from the loop thread; work already queued keeps
// the Journal alive if the service is destroyed first. Failures arrive as Result values.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "agent/journal/journal.hpp"
#include "shared/asio.hpp"

namespace constellation::journal {

/// The agent's handle on the journal: asynchronous, never blocking the loop.
class JournalService {
 public:
  /// `loop` is the agent's loop executor; `workers` runs the blocking SQLite calls.
  JournalService(asio::any_io_executor loop, asio::thread_pool& workers,
                 std::unique_ptr<Journal> journal);

  /// Appends on the journal strand; `done` runs on the loop with the stored event (id set).
  void append(Event event, std::function<void(Result<Event>)> done);
  /// Queries on the journal strand and resumes the caller on the loop.
  asio::awaitable<Result<std::vector<Event>>> query(EventQuery query);
  /// Reads the journal's stats on the strand and resumes the caller on the loop.
  asio::awaitable<Result<Stats>> stats();
  /// Runs retention on the strand; the report (or error) is logged and handed to `done`.
  void enforce_retention(std::function<void(Result<RetentionReport>)> done = {});
  /// New retention limits, applied on the strand before any later enforce_retention.
  void set_limits(std::chrono::milliseconds max_age, std::int64_t max_bytes);

 private:
  asio::any_io_executor loop_;
  asio::strand<asio::thread_pool::executor_type> strand_;
  std::shared_ptr<Journal> journal_;
};

}  // namespace constellation::journal
