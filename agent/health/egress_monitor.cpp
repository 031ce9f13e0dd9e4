// EgressMonitor (egress_monitor.hpp): timers on the loop, fetches on workers, verdicts from the
// sans-IO parsers in egress.hpp.
#include "agent/health/egress_monitor.hpp"

#include "agent/health/egress.hpp"
#include "agent/health/http_get.hpp"
#include "shared/log.hpp"

namespace constellation::health {

EgressMonitor::EgressMonitor(asio::io_context& loop, asio::thread_pool& workers,
                             EgressOptions options, GatewayProbe gateway, EventSink events)
    : loop_(loop),
      workers_(workers),
      options_(std::move(options)),
      gateway_(std::move(gateway)),
      events_(std::move(events)),
      ip_timer_(loop),
      warp_timer_(loop) {}

EgressMonitor::~EgressMonitor() {
  stop();
}

void EgressMonitor::start() {
  running_ = true;
  detect_ip();
  if (!options_.warp_trace_url.empty()) check_warp();
}

void EgressMonitor::stop() {
  running_ = false;
  ip_timer_.cancel();
  warp_timer_.cancel();
}

void EgressMonitor::arm(asio::steady_timer& timer, std::chrono::milliseconds period,
                        void (EgressMonitor::*fn)()) {
  if (!running_) return;
  timer.expires_after(period);
  timer.async_wait([this, fn, alive = std::weak_ptr<int>(alive_)](std::error_code ec) {
    if (!ec && !alive.expired() && running_) (this->*fn)();
  });
}

void EgressMonitor::detect_ip() {
  if (!options_.public_ip.empty() || options_.ip_endpoints.empty()) {
    auto chosen = choose_public_ip(options_.public_ip, {});
    if (chosen) {
      public_ip_ = *chosen;
      ip_error_.reset();
    } else if (!options_.public_ip.empty()) {
      ip_error_ = "PUBLIC_IP=" + options_.public_ip + " is not an IP address";
    }
    return;  // nothing to fetch: configured, or no endpoints
  }
  asio::post(workers_, [endpoints = options_.ip_endpoints, timeout = options_.timeout,
                        loop = &loop_, alive = std::weak_ptr<int>(alive_), this] {
    std::vector<std::pair<std::string, Result<std::string>>> answers;
    for (const auto& url : endpoints) {
      answers.emplace_back(url, http_get(url, timeout));
      if (answers.back().second && parse_public_ip(url, *answers.back().second)) break;
    }
    auto chosen = choose_public_ip("", answers);
    asio::post(*loop, [alive, this, chosen] {
      if (alive.expired()) return;
      if (chosen) {
        if (public_ip_ != *chosen) log::get("health")->info("public IP is {}", *chosen);
        public_ip_ = *chosen;
        ip_error_.reset();
      } else {
        ip_error_ = chosen.error().message;
        log::get("health")->warn("{}", *ip_error_);
      }
      arm(ip_timer_, options_.ip_interval, &EgressMonitor::detect_ip);
    });
  });
}

void EgressMonitor::check_warp() {
  const auto gateway = gateway_ ? gateway_(options_.warp_gateway) : GatewayState::absent;
  warp_node_ = gateway != GatewayState::absent;
  if (!warp_node_) {
    warp_ok_.reset();
    arm(warp_timer_, options_.warp_interval, &EgressMonitor::check_warp);
    return;
  }
  auto finish = [this](Status verdict) {
    warp_checked_ms_ = now_ms();
    const bool ok = verdict.has_value();
    const std::string error = ok ? "" : verdict.error().message;
    if (!warp_ok_ || *warp_ok_ != ok) {
      if (ok && warp_ok_) log::get("health")->info("WARP egress is back");
      if (!ok) log::get("health")->warn("WARP egress check failed: {}", error);
      if (events_ && (warp_ok_ || !ok))
        events_(Event{.kind = ok ? "warp.up" : "warp.down",
                      .subject = options_.warp_gateway,
                      .detail = {{"gateway", options_.warp_gateway},
                                 {"url", options_.warp_trace_url},
                                 {"error", error}},
                      .actor = "health"});
    }
    warp_ok_ = ok;
    warp_error_ = error;
    arm(warp_timer_, options_.warp_interval, &EgressMonitor::check_warp);
  };
  if (gateway == GatewayState::stopped) {
    finish(warp_verdict(false, options_.warp_gateway, {}));
    return;
  }
  asio::post(workers_, [url = options_.warp_trace_url, timeout = options_.timeout,
                        name = options_.warp_gateway, fetch = trace_fetch_, loop = &loop_,
                        alive = std::weak_ptr<int>(alive_), finish] {
    auto body = fetch ? fetch(name, url, timeout) : http_get(url, timeout);
    Status verdict = body ? warp_verdict(true, name, parse_trace(*body))
                          : Status(std::unexpected(
                                Error{body.error().code, "WARP trace: " + body.error().message}));
    asio::post(*loop, [alive, finish, verdict] {
      if (!alive.expired()) finish(verdict);
    });
  });
}

std::vector<std::string> EgressMonitor::problems() const {
  std::vector<std::string> out;
  if (warp_node_ && warp_ok_ && !*warp_ok_) out.push_back("warp: " + warp_error_);
  return out;
}

nlohmann::json EgressMonitor::status_json() const {
  return {{"public_ip", public_ip_.value_or("")},
          {"public_ip_error", ip_error_.value_or("")},
          {"warp",
           {{"enabled", !options_.warp_trace_url.empty()},
            {"node", warp_node_},
            {"ok", warp_ok_.value_or(false)},
            {"error", warp_error_},
            {"checked_at_ms", warp_checked_ms_}}}};
}

}  // namespace constellation::health
