// Docker monitor cost against a real private dockerd: CPU time of one full reconcile (list +
// inspect every container + network check) with 200 containers, and the monitor's idle CPU
// share with 50 containers and the default 10 s reconcile. Prints one table. The measured
// process is the monitor alone (its loop thread, workers and event-stream thread); dockerd's
// own CPU is not counted. No anchor runs here: deunhealth (the tool it replaces) is not
// packaged in Debian.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <thread>
#include <vector>

#include "agent/docker/monitor.hpp"
#include "tests/harness/dockerd.hpp"

using namespace constellation;
using namespace std::chrono_literals;

namespace {

double cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

/// Creates and starts `count` sleeping containers, four at a time.
std::vector<std::string> make_containers(const docker::DockerHost& host, int count, int offset) {
  std::vector<std::future<std::string>> jobs;
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    jobs.push_back(std::async(std::launch::async, [&host, i, offset] {
      docker::DockerClient client(host);
      auto name = "bench-" + std::to_string(offset + i);
      auto id = client.create_container(
          name, docker::ContainerSpec{
                    .image = testing::kTestImage,
                    .cmd = {"sh", "-c", "trap 'exit 0' TERM; sleep 100000 & wait"},
                    .labels = {{"constellation.service", "svc-" + std::to_string(i % 20)},
                               {"traefik.http.services.s.loadbalancer.server.port", "8080"}},
                    .network_mode = "none"});
      if (!id) return std::string();
      (void)client.start_container(*id);
      return *id;
    }));
    if (jobs.size() == 4 || i + 1 == count) {
      for (auto& job : jobs) ids.push_back(job.get());
      jobs.clear();
    }
  }
  return ids;
}

/// A monitor on its own loop thread.
struct Harness {
  asio::io_context loop;
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(loop);
  asio::thread_pool workers{2};
  std::unique_ptr<docker::DockerMonitor> monitor;
  std::thread thread;

  template <typename F>
  auto call(F fn) {
    std::promise<decltype(fn(*monitor))> done;
    auto future = done.get_future();
    asio::post(loop, [&] { done.set_value(fn(*monitor)); });
    return future.get();
  }
  explicit Harness(docker::MonitorOptions options) {
    monitor = std::make_unique<docker::DockerMonitor>(
        loop, workers, std::move(options), [](auto) {}, [](auto) {});
    thread = std::thread([this] { loop.run(); });
    call([](docker::DockerMonitor& m) {
      m.start();
      return 0;
    });
  }
  ~Harness() {
    call([](docker::DockerMonitor& m) {
      m.stop();
      return 0;
    });
    workers.join();
    asio::post(loop, [this] { monitor.reset(); });
    guard.reset();
    thread.join();
  }
  void wait_reconciles(std::uint64_t n) {
    while (call([](docker::DockerMonitor& m) { return m.reconciles(); }) < n)
      std::this_thread::sleep_for(1ms);
  }
};

}  // namespace

int main() {
  auto engine = testing::PrivateDockerd::start();
  if (!engine) {
    std::fprintf(stderr, "cannot start a private dockerd: %s\n", engine.error().message.c_str());
    return 1;
  }
  if (auto imported = (*engine)->import_test_image(); !imported) {
    std::fprintf(stderr, "cannot import the test image: %s\n", imported.error().message.c_str());
    return 1;
  }
  docker::DockerHost host{.unix_socket = (*engine)->socket_path(), .tcp_host = {}, .tcp_port = 0};
  auto ids = make_containers(host, 200, 0);

  docker::MonitorOptions options;
  options.node = "bench";
  options.host = host;
  options.reconcile_interval = 1h;  // reconciles below are triggered explicitly
  options.networks = {{"bench-backend", "10.213.250.0/24"}};
  double reconcile_ms = 0;
  const int rounds = 5;
  {
    Harness h(options);
    h.wait_reconciles(1);
    for (int i = 0; i < rounds; ++i) {
      auto before = cpu_seconds();
      h.call([](docker::DockerMonitor& m) {
        m.reconcile_now();
        return 0;
      });
      h.wait_reconciles(static_cast<std::uint64_t>(i + 2));
      reconcile_ms += (cpu_seconds() - before) * 1000.0 / rounds;
    }
  }

  docker::DockerClient client(host);
  for (std::size_t i = 50; i < ids.size(); ++i) (void)client.remove_container(ids[i], true);
  options.reconcile_interval = 10s;
  double idle_percent = 0;
  {
    Harness h(options);
    h.wait_reconciles(1);
    const auto wall_start = std::chrono::steady_clock::now();
    const auto cpu_start = cpu_seconds();
    std::this_thread::sleep_for(30s);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    idle_percent = (cpu_seconds() - cpu_start) / wall * 100.0;
  }
  for (std::size_t i = 0; i < 50 && i < ids.size(); ++i)
    (void)client.remove_container(ids[i], true);

  std::printf("%-44s %12s %12s %8s\n", "docker monitor", "ours", "target", "ratio");
  std::printf("%-44s %9.1f ms %9.1f ms %8.2f\n", "full reconcile, 200 containers (CPU)",
              reconcile_ms, 200.0, reconcile_ms / 200.0);
  std::printf("%-44s %10.3f %% %10.3f %% %8.2f\n", "idle CPU, 50 containers, 10 s reconcile",
              idle_percent, 0.5, idle_percent / 0.5);
  return 0;
}
