// The agent's cron: one steady timer on the loop thread ticking every `interval`; periodic
// tasks run when their own period has elapsed (Redis's run_with_period). Tasks run on the loop
// thread and must not block; blocking work goes to the worker pool.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "shared/asio.hpp"

namespace constellation::runtime {

class Cron {
 public:
  using Clock = std::chrono::steady_clock;
  Cron(asio::io_context& loop, std::chrono::milliseconds interval);

  /// Registers `task` to run every `period` (rounded up to the tick). The first run is one
  /// period after start().
  void every(std::string name, std::chrono::milliseconds period, std::function<void()> task);
  void start();
  void stop();
  /// Number of ticks so far (for tests and /metrics).
  std::uint64_t ticks() const { return ticks_; }

 private:
  struct Task {
    std::string name;
    std::chrono::milliseconds period;
    Clock::time_point next;
    std::function<void()> run;
  };
  void arm();
  void tick();

  asio::steady_timer timer_;
  std::chrono::milliseconds interval_;
  std::vector<Task> tasks_;
  std::uint64_t ticks_ = 0;
  bool running_ = false;
};

}  // namespace constellation::runtime
