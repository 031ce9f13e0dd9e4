// EgressMonitor: the agent's two egress checks. Public IP: PUBLIC_IP, else the first valid
// answer of the configured plain-text endpoints, re-detected every `ip_interval` (only when
// endpoints are configured). WARP: every `warp_interval`, on a node that has the WARP gateway
// container, the container must be running and the trace document must say warp=on|plus;
// flips are journaled (warp.down / warp.up) and a failure is a /health problem.
//
// Threading: public members and callbacks run on the loop thread; fetches run on the worker
// pool and post back. Must be destroyed on the loop thread; late results are dropped.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/asio.hpp"
#include "shared/error.hpp"
#include "shared/event.hpp"

namespace constellation::health {

struct EgressOptions {
  std::string public_ip{};                  ///< configured (PUBLIC_IP); wins when valid
  std::vector<std::string> ip_endpoints{};  ///< plain-text endpoints, tried in order
  std::chrono::milliseconds ip_interval{std::chrono::minutes(10)};
  std::string warp_trace_url{};  ///< "" turns the WARP monitor off
  std::string warp_gateway = "warp-nat-gateway";
  std::chrono::milliseconds warp_interval{std::chrono::seconds(30)};
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};
};

/// Where the WARP gateway container stands: absent (not a WARP node), stopped, running.
enum class GatewayState { absent, stopped, running };

class EgressMonitor {
 public:
  using EventSink = std::function<void(Event)>;
  using GatewayProbe = std::function<GatewayState(const std::string& name)>;
  /// Fetches the trace document through the gateway container `gateway`; runs on a worker
  /// thread and may block up to `timeout`. The agent runs it inside the container (docker
  /// exec), so the check sees the gateway's own egress.
  using TraceFetch = std::function<Result<std::string>(
      const std::string& gateway, const std::string& url, std::chrono::milliseconds timeout)>;

  EgressMonitor(asio::io_context& loop, asio::thread_pool& workers, EgressOptions options,
                GatewayProbe gateway, EventSink events);
  ~EgressMonitor();

  /// Replaces the trace fetch (before start()). Without one the document is fetched from this
  /// host, which only tests the host's egress.
  void set_trace_fetch(TraceFetch fetch) { trace_fetch_ = std::move(fetch); }
  /// Runs the first checks at once, then on their intervals.
  void start();
  void stop();

  std::vector<std::string> problems() const;
  /// {"public_ip","public_ip_error","warp":{"enabled","node","ok","error","checked_at_ms"}}
  nlohmann::json status_json() const;

 private:
  void detect_ip();
  void check_warp();
  void arm(asio::steady_timer& timer, std::chrono::milliseconds period,
           void (EgressMonitor::*fn)());

  asio::io_context& loop_;
  asio::thread_pool& workers_;
  EgressOptions options_;
  GatewayProbe gateway_;
  TraceFetch trace_fetch_;
  EventSink events_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  asio::steady_timer ip_timer_;
  asio::steady_timer warp_timer_;
  bool running_ = false;
  std::optional<std::string> public_ip_;
  std::optional<std::string> ip_error_;
  bool warp_node_ = false;
  std::optional<bool> warp_ok_;
  std::string warp_error_;
  std::int64_t warp_checked_ms_ = 0;
};

}  // namespace constellation::health
