// A DockerMonitor running against the suite's private engine on its own loop thread and worker
// pool, with the records and events it emits captured for assertions. Tests touch the monitor
// only through on_loop(), as the agent would.
#pragma once

#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/docker/monitor.hpp"
#include "tests/docker/docker_environment.hpp"
#include "tests/harness/process.hpp"

namespace constellation::testing {

/// Options for the private engine with test-friendly timings (fast reconcile and reconnect).
docker::MonitorOptions fast_monitor_options();

class RunningMonitor {
 public:
  explicit RunningMonitor(docker::MonitorOptions options = fast_monitor_options());
  ~RunningMonitor();

  /// Runs fn(monitor) on the loop thread and returns its result.
  template <typename F>
  auto on_loop(F fn) {
    using R = decltype(fn(*monitor_));
    std::promise<R> promise;
    auto future = promise.get_future();
    asio::post(loop_, [&] {
      if constexpr (std::is_void_v<R>) {
        fn(*monitor_);
        promise.set_value();
      } else {
        promise.set_value(fn(*monitor_));
      }
    });
    return future.get();
  }

  /// The container by name as the monitor last saw it.
  std::optional<docker::MappedContainer> container(const std::string& name);
  /// Events emitted so far.
  std::vector<Event> events();
  /// Events of `kind` whose subject or detail.container is `who` (any when empty).
  std::vector<Event> events_of(const std::string& kind, const std::string& who = "");
  /// How many times the record sink was called and the last set it got.
  std::size_t sink_calls();
  std::vector<cluster::ServiceRecord> last_records();

 private:
  asio::io_context loop_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  asio::thread_pool workers_{2};
  std::mutex mutex_;
  std::vector<Event> events_;
  std::vector<cluster::ServiceRecord> records_;
  std::size_t sink_calls_ = 0;
  std::unique_ptr<docker::DockerMonitor> monitor_;
  std::thread thread_;
};

}  // namespace constellation::testing
