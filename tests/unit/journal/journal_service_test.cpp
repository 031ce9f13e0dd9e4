// JournalService: SQLite work happens off the loop thread and every completion (callback or
// coroutine resumption) comes back on the loop thread.
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "agent/journal/journal_service.hpp"
#include "tests/unit/journal/builders.hpp"
#include "tests/unit/journal/temp_dir.hpp"

namespace constellation::journal {
namespace {

using testing::make_event;
using testing::Query;
using testing::TempDir;

class JournalServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto journal = Journal::open({.path = dir_.file("journal.db")});
    ASSERT_TRUE(journal) << journal.error().message;
    service_.emplace(loop_.get_executor(), workers_, std::move(*journal));
  }
  void TearDown() override {
    service_.reset();
    workers_.join();
  }
  // Runs the loop on this thread until it has no more work.
  void run_loop() {
    loop_.restart();
    loop_.run();
  }

  TempDir dir_;
  asio::io_context loop_;
  asio::thread_pool workers_{2};
  std::optional<JournalService> service_;
};

TEST_F(JournalServiceTest, AppendCompletesOnTheLoopThreadWithTheStoredId) {
  // Keeps the loop alive until the completion arrives from the worker pool.
  auto guard = asio::make_work_guard(loop_);
  std::optional<Result<Event>> stored;
  std::thread::id completed_on;
  service_->append(make_event("note", 0, nlohmann::json{{"x", 1}}), [&](Result<Event> result) {
    stored = std::move(result);
    completed_on = std::this_thread::get_id();
    guard.reset();
  });
  run_loop();
  ASSERT_TRUE(stored.has_value());
  ASSERT_TRUE(*stored) << (*stored).error().message;
  EXPECT_GT((**stored).id, 0);
  EXPECT_GT((**stored).time_ms, 0);
  EXPECT_EQ((**stored).detail["x"], 1);
  EXPECT_EQ(completed_on, std::this_thread::get_id());
}

TEST_F(JournalServiceTest, QueryAndStatsResumeOnTheLoopThread) {
  const auto loop_thread = std::this_thread::get_id();
  std::vector<std::thread::id> resumed_on;
  std::optional<Result<std::vector<Event>>> events;
  std::optional<Result<Stats>> stats;
  asio::co_spawn(
      loop_,
      [&]() -> asio::awaitable<void> {
        // Append through the service from inside the coroutine too, awaiting its callback.
        for (int i = 0; i < 3; ++i) {
          auto executor = co_await asio::this_coro::executor;
          asio::steady_timer done(executor, asio::steady_timer::time_point::max());
          service_->append(make_event("note"), [&](Result<Event>) { done.cancel(); });
          boost::system::error_code ignored;
          co_await done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
          resumed_on.push_back(std::this_thread::get_id());
        }
        events = co_await service_->query(Query().of_kind("note"));
        resumed_on.push_back(std::this_thread::get_id());
        stats = co_await service_->stats();
        resumed_on.push_back(std::this_thread::get_id());
      },
      asio::detached);
  run_loop();
  ASSERT_EQ(resumed_on.size(), 5u);
  for (auto id : resumed_on) EXPECT_EQ(id, loop_thread);
  ASSERT_TRUE(events.has_value() && *events);
  EXPECT_EQ((*events)->size(), 3u);
  ASSERT_TRUE(stats.has_value() && *stats);
  EXPECT_EQ((*stats)->events, 3);
}

TEST_F(JournalServiceTest, RetentionUsesNewLimitsAndReportsOnTheLoopThread) {
  auto guard = asio::make_work_guard(loop_);
  service_->append(make_event("ancient", 1), {});
  service_->set_limits(std::chrono::minutes(1), 64 << 20);
  std::optional<Result<RetentionReport>> report;
  std::thread::id completed_on;
  service_->enforce_retention([&](Result<RetentionReport> result) {
    report = std::move(result);
    completed_on = std::this_thread::get_id();
    guard.reset();
  });
  run_loop();
  ASSERT_TRUE(report.has_value() && *report);
  EXPECT_EQ((*report)->deleted_by_age, 1);
  EXPECT_EQ(completed_on, std::this_thread::get_id());
}

}  // namespace
}  // namespace constellation::journal
