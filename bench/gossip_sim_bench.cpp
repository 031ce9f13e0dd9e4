// Gossip dissemination in the deterministic simulator: time for one service-health change
// (the real record delta ClusterView broadcasts, relayed once by each node) to reach 99.9% of
// N nodes at memberlist's LAN timing (200 ms gossip interval, fanout 3), and the bytes each
// node sends per second, beside memberlist's own convergence figures as the anchor. Prints
// one table; not a timed test.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "agent/cluster/cluster_view.hpp"
#include "agent/gossip/sim/simulator.hpp"

namespace {

using namespace constellation::gossip;
using Seconds = std::chrono::duration<double>;

struct Trial {
  double reach_seconds = 0;
  double bytes_per_node_per_second = 0;
};

/// The delta a real health flip gossips: a record with two endpoints and two networks.
Bytes health_change_delta() {
  using namespace constellation::cluster;
  return encode_delta(ServiceRecord{
      .service = "whoami",
      .node = "node-0",
      .status = HealthStatus::unhealthy,
      .endpoints = {{"http", "http://10.0.7.12:80"}, {"https", "https://whoami.example.com"}},
      .networks = {"backend", "publicnet"},
      .source = "docker:whoami-1",
      .checked_at_ms = 1'764'000'000'000,
      .version = 42});
}

/// One seeded run: a converged cluster of n, one broadcast from node 0, 1 ms - 5 ms links.
Trial run_trial(int n, std::uint64_t seed) {
  sim::Simulator sim(
      seed, sim::NetworkConfig{.loss = 0.0, .min_delay = Millis{1}, .max_delay = Millis{5}});
  sim.add_converged_cluster(n, Timing::lan());
  sim.run_for(Millis{3000});
  const std::size_t needed = static_cast<std::size_t>(std::ceil(0.999 * n));
  const Instant start = sim.now();
  const std::uint64_t bytes_before = sim.total_bytes_sent();
  sim.broadcast(0, health_change_delta());
  std::vector<char> reached(static_cast<std::size_t>(n), 0);
  std::size_t count = 0;
  std::size_t scanned = 0;
  sim.run_until(
      [&] {
        const auto& d = sim.deliveries();
        for (; scanned < d.size(); ++scanned) {
          auto& seen = reached[static_cast<std::size_t>(d[scanned].node)];
          if (!seen) {
            seen = 1;
            ++count;
          }
        }
        return count >= needed;
      },
      Millis{30000});
  Trial trial;
  trial.reach_seconds = Seconds(sim.now() - start).count();
  const Millis window{5000};
  sim.run_for(window - std::chrono::duration_cast<Millis>(sim.now() - start));
  trial.bytes_per_node_per_second =
      static_cast<double>(sim.total_bytes_sent() - bytes_before) / n / Seconds(window).count();
  return trial;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main() {
  struct Row {
    int n;
    int trials;
    double memberlist_seconds;
  };
  const Row rows[] = {{5, 21, 0.58}, {20, 21, 0.66}, {100, 11, 0.77}, {1000, 3, 0.92}};
  std::printf(
      "gossip dissemination, simulator, lan profile (gossip 200 ms, fanout 3), median of trials\n");
  std::printf("%6s %7s %16s %16s %7s %16s %10s\n", "nodes", "trials", "99.9% reach (s)",
              "memberlist (s)", "ratio", "bytes/node/s", "wall (s)");
  for (const Row& row : rows) {
    const auto wall_start = std::chrono::steady_clock::now();
    std::vector<double> reach, bytes;
    for (int t = 0; t < row.trials; ++t) {
      const Trial trial = run_trial(row.n, 1000 + static_cast<std::uint64_t>(t));
      reach.push_back(trial.reach_seconds);
      bytes.push_back(trial.bytes_per_node_per_second);
    }
    const double wall = Seconds(std::chrono::steady_clock::now() - wall_start).count();
    const double ours = median(reach);
    std::printf("%6d %7d %16.2f %16.2f %7.2f %16.0f %10.2f\n", row.n, row.trials, ours,
                row.memberlist_seconds, ours / row.memberlist_seconds, median(bytes), wall);
  }
  return 0;
}
