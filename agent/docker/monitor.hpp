// DockerMonitor: the agent subsystem that keeps this node's container health current. An
// event-stream thread (container start/die/health_status/destroy/rename...) drives incremental
// re-inspections; a full reconcile every `reconcile_interval` corrects drift, keeps the
// standard networks in place and attaches opt-in containers to them; unhealthy containers
// labelled deunhealth.restart.on.unhealthy=true are restarted under a RepairPolicy. When
// dockerd is missing or restarts, the stream thread reconnects with exponential backoff and
// the outage is reported (problems(), docker.unavailable / docker.recovered events).
//
// Threading: every public member is called on the loop thread, and every callback
// (RecordSink, EventSink, restart's done) runs there. Blocking Engine API calls run on the
// worker pool; the endless /events stream has its own thread so it never pins a worker.
// Failure: nothing here stops the agent; every Docker error becomes a problem or an event.
// Ownership: the monitor must be destroyed on the loop thread; results arriving after that
// are dropped (they hold only a weak reference).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/cluster/service_record.hpp"
#include "agent/docker/client.hpp"
#include "agent/docker/monitor_state.hpp"
#include "agent/docker/network_plan.hpp"
#include "agent/docker/repair_policy.hpp"
#include "shared/asio.hpp"
#include "shared/event.hpp"

namespace constellation::docker {

/// Delay before reconnect attempt number `failures` (0-based): min(base * 2^failures, cap).
std::chrono::milliseconds reconnect_delay(int failures, std::chrono::milliseconds base,
                                          std::chrono::milliseconds cap);

struct MonitorOptions {
  std::string node{};  ///< origin of the records
  DockerHost host{};
  Timeouts timeouts{.connect = std::chrono::seconds(2),
                    .request = std::chrono::seconds(10),
                    .build = std::chrono::seconds(60)};
  std::chrono::milliseconds reconcile_interval{std::chrono::seconds(10)};
  std::chrono::milliseconds reconnect_base{std::chrono::milliseconds(500)};
  std::chrono::milliseconds reconnect_cap{std::chrono::seconds(30)};
  RepairOptions repair{};
  std::vector<DesiredNetwork> networks{};  ///< kept in place; empty = leave networks alone
};

class DockerMonitor {
 public:
  /// Receives the node's full current record set whenever any record changed.
  using RecordSink = std::function<void(std::vector<cluster::ServiceRecord>)>;
  /// Receives events to journal and broadcast (node and time are left for the publisher).
  using EventSink = std::function<void(constellation::Event)>;

  DockerMonitor(asio::io_context& loop, asio::thread_pool& workers, MonitorOptions options,
                RecordSink records, EventSink events);
  ~DockerMonitor();
  DockerMonitor(const DockerMonitor&) = delete;
  DockerMonitor& operator=(const DockerMonitor&) = delete;

  /// Starts the stream thread and the reconcile timer. Never fails: an absent engine is an
  /// outage to report, not a start-up error.
  void start();
  /// Stops the timer and the stream thread (cancelling the stream); returns promptly.
  void stop();

  /// Whether the engine answered the last attempt.
  bool available() const { return available_.value_or(false); }
  /// Human-readable problems for /health: the outage, network conflicts and failures.
  std::vector<std::string> problems() const;
  /// {"enabled","available","endpoint","api_version","server","error","containers",
  ///  "reconciles","last_reconcile_ms","networks":[{"name","subnet","state","detail"}]}
  nlohmann::json status_json() const;
  /// The latest record set (what the sink last received).
  std::vector<cluster::ServiceRecord> records() const { return state_.records(); }
  /// {"node":…,"available":…,"containers":[…]} for /api/v1/containers, ordered by name.
  nlohmann::json containers_json() const;
  const MonitorState& state() const { return state_; }
  /// A copy of the monitor's engine client, for blocking calls on a worker thread.
  DockerClient client_copy() const { return DockerClient(client_); }
  /// Completed full reconciles (tests wait on it).
  std::uint64_t reconciles() const { return reconciles_; }

  /// Restarts a container found by name, id or (unique) service name. `done` gets
  /// {"container","id","service"} or not_found / unavailable / the engine's refusal.
  void restart(const std::string& name, const std::string& actor,
               std::function<void(Result<nlohmann::json>)> done);
  /// Runs a full reconcile now (or right after the one in flight).
  void reconcile_now();

 private:
  struct ReconcileOutcome;
  template <typename Work, typename Then>
  void offload(Work work, Then then);

  void run_stream(std::stop_token stop);
  void on_engine_up(PingResult ping);
  void on_engine_down(Error error, std::chrono::milliseconds retry_in);
  void on_docker_event(Event event);
  void inspect(const std::string& id);
  void apply_reconcile(ReconcileOutcome outcome);
  void apply(UpdateResult result, bool announce_new);
  void note_warnings(const MappedContainer& container);
  void consider_repair(const std::string& id);
  void arm_reconcile_timer();
  void emit(std::string kind, std::string subject, nlohmann::json detail);

  asio::io_context& loop_;
  asio::thread_pool& workers_;
  MonitorOptions options_;
  RecordSink record_sink_;
  EventSink event_sink_;
  DockerClient client_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);

  MonitorState state_;
  RepairPolicy repair_;
  std::optional<bool> available_;  ///< unset until the first attempt
  std::optional<Error> outage_;
  std::chrono::milliseconds retry_in_{0};
  std::optional<PingResult> engine_;
  std::vector<NetworkCheck> network_checks_;
  std::vector<std::string> network_errors_;
  std::set<std::string> warned_;            ///< container id + warning, so each is reported once
  std::map<std::string, bool> inspecting_;  ///< id -> inspect again when this one returns
  std::set<std::string> restarting_;
  std::map<std::string, std::unique_ptr<asio::steady_timer>> repair_timers_;
  asio::steady_timer reconcile_timer_;
  bool reconcile_running_ = false;
  bool reconcile_again_ = false;
  std::uint64_t reconciles_ = 0;
  std::int64_t last_reconcile_ms_ = 0;
  bool running_ = false;
  std::jthread stream_thread_;
};

}  // namespace constellation::docker
