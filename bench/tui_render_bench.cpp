// One TUI frame at 120x40 from a large model (1,000 services on 20 nodes, 10,000 events): the
// issue's budget is 16 ms per frame. Measures the pure view (render), which is all the UI
// thread does per pass besides curses painting the lines that changed.
#include <benchmark/benchmark.h>

#include "console/tui/view.hpp"

namespace {

using namespace constellation;
using namespace constellation::console::tui;

ClusterModel big_model() {
  ClusterModel model;
  nlohmann::json nodes = nlohmann::json::array(), services = nlohmann::json::array();
  for (int n = 0; n < 20; ++n)
    nodes.push_back({{"name", "node-" + std::to_string(n)}, {"state", "alive"}, {"priority", n}});
  for (int s = 0; s < 1000; ++s) {
    nlohmann::json instances = nlohmann::json::array();
    for (int n = s % 3; n < 20; n += 3)
      instances.push_back({{"node", "node-" + std::to_string(n)},
                           {"status", s % 7 == 0 ? "unhealthy" : "healthy"}});
    services.push_back({{"service", "svc-" + std::to_string(s)}, {"nodes", instances}});
  }
  model.load_nodes({{"nodes", nodes}}, 1'000'000);
  model.load_services({{"services", services}});
  for (std::int64_t id = 1; id <= 10'000; ++id)
    model.apply_event(Event{.id = id,
                            .time_ms = 1'000'000 + id,
                            .node = "node-" + std::to_string(id % 20),
                            .kind = id % 2 ? "service.health_changed" : "member.alive",
                            .subject = "svc-" + std::to_string(id % 1000),
                            .detail = {{"to", "healthy"}, {"version", id}}});
  model.link.connected = true;
  return model;
}

void frame(benchmark::State& state, Screen screen, const char* filter) {
  static const ClusterModel model = big_model();
  ViewState view{.screen = screen, .filter = filter};
  const Frame size{.width = 120, .height = 40, .now_ms = 2'000'000, .agent = "unix:/x"};
  for (auto _ : state) benchmark::DoNotOptimize(render(model, view, size));
}

BENCHMARK_CAPTURE(frame, overview, Screen::overview, "")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(frame, nodes, Screen::nodes, "")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(frame, services_matrix, Screen::services, "")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(frame, events, Screen::events, "")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(frame, events_filtered, Screen::events, "svc-42")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
