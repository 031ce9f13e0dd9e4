// DiscoveryService and its pure helpers; see discovery_service.hpp. Failures are logged at
// most once a minute (the journal gets every change of reason) so a tailnet that is down for
// a day does not flood the log.
#include "agent/discovery/discovery_service.hpp"

#include <algorithm>
#include <set>

#include "shared/log.hpp"

namespace constellation::discovery {
namespace {
constexpr auto kFailureLogInterval = std::chrono::minutes(1);

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string with_port(const std::string& ip, std::uint16_t port) {
  bool v6 = ip.find(':') != std::string::npos;
  return (v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}
}  // namespace

Result<Discovered> discover_from_document(std::string_view json, const PeerFilter& filter) {
  auto status = parse_tailnet_status(json);
  if (!status) return std::unexpected(status.error());
  if (auto running = require_running(*status); !running) return std::unexpected(running.error());
  return Discovered{.peers = select_peers(*status, filter), .self_ipv4 = status->self.ipv4()};
}

std::vector<std::string> join_candidates(const std::vector<TailnetPeer>& peers, std::uint16_t port,
                                         const std::vector<std::string>& known) {
  std::set<std::string> skip(known.begin(), known.end());
  std::vector<std::string> out;
  for (const auto& peer : peers) {
    bool is_known = std::any_of(peer.ips.begin(), peer.ips.end(), [&](const std::string& ip) {
      return skip.count(with_port(ip, port)) > 0;
    });
    if (is_known || peer.ips.empty()) continue;
    std::string ip = peer.ipv4().empty() ? peer.ips.front() : peer.ipv4();
    auto address = with_port(ip, port);
    if (skip.insert(address).second) out.push_back(address);
  }
  return out;
}

DiscoveryService::DiscoveryService(asio::io_context& loop, asio::thread_pool& workers,
                                   Options options, PeersSink on_peers, ChangeSink on_change)
    : loop_(loop),
      workers_(workers),
      options_(std::move(options)),
      on_peers_(std::move(on_peers)),
      on_change_(std::move(on_change)) {}

DiscoveryService::~DiscoveryService() = default;

void DiscoveryService::run() {
  if (in_flight_ || !alive_) return;
  in_flight_ = true;
  std::weak_ptr<int> alive = alive_;
  asio::post(workers_, [this, loop = &loop_, alive, options = options_] {
    std::string source;
    auto text = fetch_status_document(options.fetch, &source);
    Result<Discovered> outcome = text ? discover_from_document(*text, options.filter)
                                      : Result<Discovered>(std::unexpected(text.error()));
    asio::post(*loop,
               [this, alive, outcome = std::move(outcome), source = std::move(source)]() mutable {
                 if (alive.expired()) return;
                 finish(std::move(outcome), std::move(source));
               });
  });
}

void DiscoveryService::stop() {
  alive_.reset();
  in_flight_ = false;
}

void DiscoveryService::finish(Result<Discovered> outcome, std::string source) {
  in_flight_ = false;
  ++runs_;
  last_run_ms_ = wall_ms();
  source_ = std::move(source);
  auto logger = log::get("discovery");
  if (!outcome) {
    ++failures_;
    const std::string& reason = outcome.error().message;
    bool changed = reason != last_error_;
    auto now = std::chrono::steady_clock::now();
    if (changed || now - last_log_ >= kFailureLogInterval) {
      last_log_ = now;
      logger->warn("tailscale discovery failed ({}): {}", source_, reason);
    }
    last_error_ = reason;
    if (changed && on_change_) on_change_(true, reason);
    return;
  }
  peers_found_ = outcome->peers.size();
  if (!last_error_.empty()) {
    logger->info("tailscale discovery works again ({}): {} peer(s)", source_, peers_found_);
    last_error_.clear();
    if (on_change_) on_change_(false, "");
  } else {
    logger->debug("tailscale discovery ({}): {} peer(s)", source_, peers_found_);
  }
  if (on_peers_) on_peers_(*outcome);
}

nlohmann::json DiscoveryService::status_json() const {
  return {
      {"mode", "tailscale"},
      {"source", source_.empty() ? nlohmann::json(nullptr) : nlohmann::json(source_)},
      {"last_run_ms", runs_ ? nlohmann::json(last_run_ms_) : nlohmann::json(nullptr)},
      {"peers_found", peers_found_},
      {"last_error", last_error_.empty() ? nlohmann::json(nullptr) : nlohmann::json(last_error_)},
      {"runs", runs_},
      {"failures", failures_}};
}

}  // namespace constellation::discovery
