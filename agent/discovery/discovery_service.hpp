// DiscoveryService: runs Tailscale discovery for the agent. Each run() fetches and parses
// the status document on the worker pool and posts the outcome back to the loop, where it
// hands the selected peers to `on_peers` and reports failure/recovery transitions. The
// schedule (at start, then every discovery_interval) belongs to the caller's cron.
//
// Ownership: the agent owns it; results arriving after stop() or destruction are dropped.
// Threading: every member function runs on the loop thread; only the fetch runs on a worker.
// Failure: fetch and parse errors are values passed to `on_change`, never thrown or fatal.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/discovery/fetch.hpp"
#include "agent/discovery/tailscale_status.hpp"
#include "shared/asio.hpp"

namespace constellation::discovery {

/// What one successful run found.
struct Discovered {
  std::vector<TailnetPeer> peers{};  ///< selected peers (online, filtered, never Self)
  std::string self_ipv4{};           ///< Self's Tailscale IPv4, "" if none
};

/// The pure part of a run: parse, require BackendState Running, select.
Result<Discovered> discover_from_document(std::string_view json, const PeerFilter& filter);

/// The addresses ("ip:port") to join: one per peer (its IPv4, else its first address), at
/// `port`, leaving out `known` addresses (current members and this node) and duplicates.
std::vector<std::string> join_candidates(const std::vector<TailnetPeer>& peers, std::uint16_t port,
                                         const std::vector<std::string>& known);

class DiscoveryService {
 public:
  struct Options {
    FetchOptions fetch{};
    PeerFilter filter{};
  };
  /// Called with each successful run's result, on the loop thread.
  using PeersSink = std::function<void(const Discovered&)>;
  /// Called on the loop thread when discovery starts failing or its reason changes
  /// (`failed` true, the reason), and once when a run succeeds after failures (false, "").
  using ChangeSink = std::function<void(bool failed, const std::string& reason)>;

  DiscoveryService(asio::io_context& loop, asio::thread_pool& workers, Options options,
                   PeersSink on_peers, ChangeSink on_change);
  ~DiscoveryService();
  DiscoveryService(const DiscoveryService&) = delete;
  DiscoveryService& operator=(const DiscoveryService&) = delete;

  /// Starts one run unless one is still in flight (then does nothing).
  void run();
  /// Drops results still in flight.
  void stop();

  /// {"mode":"tailscale","source":..,"last_run_ms":N|null,"peers_found":N,"last_error":..|null,
  ///  "runs":N,"failures":N}
  nlohmann::json status_json() const;

 private:
  void finish(Result<Discovered> outcome, std::string source);

  asio::io_context& loop_;
  asio::thread_pool& workers_;
  Options options_;
  PeersSink on_peers_;
  ChangeSink on_change_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  ///< expired = drop late results
  bool in_flight_ = false;
  std::int64_t last_run_ms_ = 0;
  std::size_t peers_found_ = 0;
  std::uint64_t runs_ = 0, failures_ = 0;
  std::string source_;
  std::string last_error_;  ///< "" while the last run succeeded
  std::chrono::steady_clock::time_point last_log_{};
};

}  // namespace constellation::discovery
