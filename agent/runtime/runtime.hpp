// The agent's runtime: one io_context on one loop thread, a cron, a worker pool for blocking
// calls, subsystems started in order and stopped in reverse, and the process signals
// (SIGTERM/SIGINT: graceful stop, a second one forces; SIGHUP: reload). All agent state lives
// on the loop thread; other threads only post to it.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "agent/runtime/cron.hpp"
#include "shared/asio.hpp"
#include "shared/error.hpp"

namespace constellation::runtime {

/// One subsystem's lifecycle. start() runs on the loop thread before the loop runs; stop()
/// runs on the loop thread and must return promptly (cancel, close, do not wait).
struct Subsystem {
  std::string name;
  std::function<Status()> start;
  std::function<void()> stop;
};

enum class SubsystemState { pending, running, stopped, failed };
std::string_view state_name(SubsystemState state);

class Runtime {
 public:
  struct Options {
    int worker_threads = 2;
    std::chrono::milliseconds cron_interval{1000};
    std::chrono::milliseconds stop_deadline{10000};  ///< force exit if stopping takes longer
  };
  explicit Runtime(Options options);
  ~Runtime();

  asio::io_context& loop() { return loop_; }
  asio::thread_pool& workers() { return workers_; }
  Cron& cron() { return cron_; }

  /// Adds a subsystem; start order is the order of addition.
  void add(Subsystem subsystem);
  /// Called on the loop thread on SIGHUP.
  void on_reload(std::function<void()> handler) { reload_ = std::move(handler); }
  /// Called on the loop thread when a graceful stop begins, before subsystems stop.
  void on_stopping(std::function<void()> handler) { stopping_ = std::move(handler); }

  /// Starts subsystems in order (stopping those already started if one fails), reports
  /// READY=1, and runs the loop until a stop. Returns the first start error, if any.
  Status run();
  /// Begins a graceful stop (same as SIGTERM). Safe to call from the loop thread.
  void request_stop(std::string_view reason);

  struct SubsystemInfo {
    std::string name;
    SubsystemState state;
  };
  std::vector<SubsystemInfo> subsystems() const;
  std::chrono::steady_clock::time_point started_at() const { return started_at_; }

 private:
  void watch_signals();
  void stop_subsystems();
  void drain_after_stop();

  Options options_;
  asio::io_context loop_;
  asio::thread_pool workers_;
  Cron cron_;
  asio::signal_set signals_;
  std::vector<Subsystem> subsystems_;
  std::vector<SubsystemState> states_;
  std::function<void()> reload_;
  std::function<void()> stopping_;
  std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();
  bool stopping_started_ = false;
};

}  // namespace constellation::runtime
