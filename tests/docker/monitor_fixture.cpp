// RunningMonitor (monitor_fixture.hpp): loop thread, worker pool and captured sinks.
#include "tests/docker/monitor_fixture.hpp"

namespace constellation::testing {

using namespace std::chrono_literals;

docker::MonitorOptions fast_monitor_options() {
  docker::MonitorOptions options;
  options.node = "node-test";
  options.host =
      docker::DockerHost{.unix_socket = engine()->socket_path(), .tcp_host = {}, .tcp_port = 0};
  options.reconcile_interval = 1s;
  options.reconnect_base = 100ms;
  options.reconnect_cap = 1s;
  return options;
}

RunningMonitor::RunningMonitor(docker::MonitorOptions options)
    : guard_(asio::make_work_guard(loop_)) {
  monitor_ = std::make_unique<docker::DockerMonitor>(
      loop_, workers_, std::move(options),
      [this](std::vector<cluster::ServiceRecord> records) {
        std::lock_guard lock(mutex_);
        records_ = std::move(records);
        ++sink_calls_;
      },
      [this](Event event) {
        std::lock_guard lock(mutex_);
        events_.push_back(std::move(event));
      });
  thread_ = std::thread([this] { loop_.run(); });
  on_loop([](docker::DockerMonitor& m) { m.start(); });
}

RunningMonitor::~RunningMonitor() {
  on_loop([](docker::DockerMonitor& m) { m.stop(); });
  workers_.join();
  // Results still queued for the loop are dropped once the monitor is gone.
  asio::post(loop_, [this] { monitor_.reset(); });
  guard_.reset();
  loop_.stop();
  thread_.join();
  monitor_.reset();
}

std::optional<docker::MappedContainer> RunningMonitor::container(const std::string& name) {
  return on_loop([&](docker::DockerMonitor& m) -> std::optional<docker::MappedContainer> {
    for (const auto& [id, c] : m.state().containers())
      if (c.name == name) return c;
    return std::nullopt;
  });
}

std::vector<Event> RunningMonitor::events() {
  std::lock_guard lock(mutex_);
  return events_;
}

std::vector<Event> RunningMonitor::events_of(const std::string& kind, const std::string& who) {
  std::vector<Event> out;
  for (auto& e : events()) {
    if (e.kind != kind) continue;
    if (!who.empty() && e.subject != who && e.detail.value("container", "") != who) continue;
    out.push_back(std::move(e));
  }
  return out;
}

std::size_t RunningMonitor::sink_calls() {
  std::lock_guard lock(mutex_);
  return sink_calls_;
}

std::vector<cluster::ServiceRecord> RunningMonitor::last_records() {
  std::lock_guard lock(mutex_);
  return records_;
}

}  // namespace constellation::testing
