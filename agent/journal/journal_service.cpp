// JournalService: every Journal call runs on one strand of the worker pool; results hop back
// to the loop executor. Handlers hold the Journal by shared_ptr so work already queued when
// the service is destroyed still finds it alive.
#include "agent/journal/journal_service.hpp"

#include "shared/log.hpp"

namespace constellation::journal {

JournalService::JournalService(asio::any_io_executor loop, asio::thread_pool& workers,
                               std::unique_ptr<Journal> journal)
    : loop_(std::move(loop)),
      strand_(asio::make_strand(workers.get_executor())),
      journal_(std::move(journal)) {}

void JournalService::append(Event event, std::function<void(Result<Event>)> done) {
  asio::post(strand_, [journal = journal_, loop = loop_, event = std::move(event),
                       done = std::move(done)]() mutable {
    if (event.time_ms == 0) event.time_ms = now_ms();
    auto id = journal->append(event);
    Result<Event> stored = id ? Result<Event>(std::move(event)) : std::unexpected(id.error());
    if (stored) stored->id = *id;
    if (!done) return;
    asio::post(loop, [done = std::move(done), stored = std::move(stored)]() mutable {
      done(std::move(stored));
    });
  });
}

asio::awaitable<Result<std::vector<Event>>> JournalService::query(EventQuery query) {
  // g++ 12 destroys a coroutine's by-value lambda parameter twice when the lambda has
  // non-trivial captures (seen in co_spawn_entry_point), so the work lambda captures only
  // pointers into this frame, which outlives it because we await it here.
  std::shared_ptr<Journal> journal = journal_;
  const EventQuery* wanted = &query;
  Journal* raw = journal.get();
  // co_spawn's completion is dispatched to the awaiting coroutine's executor (the loop), so
  // the caller resumes there, not on the worker thread.
  co_return co_await asio::co_spawn(
      strand_,
      [raw, wanted]() -> asio::awaitable<Result<std::vector<Event>>> {
        co_return raw->query(*wanted);
      },
      asio::use_awaitable);
}

asio::awaitable<Result<Stats>> JournalService::stats() {
  std::shared_ptr<Journal> journal = journal_;  // see query()
  Journal* raw = journal.get();
  co_return co_await asio::co_spawn(
      strand_, [raw]() -> asio::awaitable<Result<Stats>> { co_return raw->stats(); },
      asio::use_awaitable);
}

void JournalService::enforce_retention(std::function<void(Result<RetentionReport>)> done) {
  asio::post(strand_, [journal = journal_, loop = loop_, done = std::move(done)]() mutable {
    auto report = journal->enforce_retention(now_ms());
    if (!report)
      log::get("journal")->error("retention failed: {}", report.error().message);
    else if (report->deleted_by_age > 0 || report->deleted_by_size > 0)
      log::get("journal")->info("retention deleted {} events by age and {} by size",
                                report->deleted_by_age, report->deleted_by_size);
    if (!done) return;
    asio::post(loop, [done = std::move(done), report = std::move(report)]() mutable {
      done(std::move(report));
    });
  });
}

void JournalService::set_limits(std::chrono::milliseconds max_age, std::int64_t max_bytes) {
  asio::post(strand_,
             [journal = journal_, max_age, max_bytes] { journal->set_limits(max_age, max_bytes); });
}

}  // namespace constellation::journal
