// CheckMonitor: runs the configured service checks (service_check.hpp) each on its own
// interval and keeps one ServiceRecord per check, versioned like the Docker monitor's: the
// version moves only when the observable state changes. Flips are journaled as
// service.health_changed (from/to) like container flips.
//
// Threading: public members and callbacks run on the loop thread; probes run on the worker
// pool. Must be destroyed on the loop thread; late results are dropped.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "agent/health/service_check.hpp"
#include "shared/asio.hpp"
#include "shared/event.hpp"

namespace constellation::health {

class CheckMonitor {
 public:
  using RecordSink = std::function<void(std::vector<cluster::ServiceRecord>)>;
  using EventSink = std::function<void(Event)>;

  CheckMonitor(asio::io_context& loop, asio::thread_pool& workers, std::string node,
               std::vector<ServiceCheck> checks, RecordSink records, EventSink events);
  ~CheckMonitor();

  /// Probes every check at once, then on its interval.
  void start();
  void stop();

  /// The current records, one per check that has been probed, by name.
  std::vector<cluster::ServiceRecord> records() const;
  /// {"name","url","status","error","checked_at_ms"} per check.
  nlohmann::json status_json() const;

 private:
  struct Slot {
    ServiceCheck check;
    std::unique_ptr<asio::steady_timer> timer;
    std::optional<cluster::ServiceRecord> record;
    std::string error;
  };
  void probe(std::size_t index);
  void apply(std::size_t index, ProbeOutcome outcome);

  asio::io_context& loop_;
  asio::thread_pool& workers_;
  std::string node_;
  std::vector<Slot> slots_;
  RecordSink record_sink_;
  EventSink event_sink_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  std::uint64_t version_ = 0;
  bool running_ = false;
};

}  // namespace constellation::health
