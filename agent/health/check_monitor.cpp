// CheckMonitor (check_monitor.hpp): one timer per check on the loop thread, the blocking probe
// (libcurl GET or TCP connect) on a worker, the verdict applied back on the loop.
#include "agent/health/check_monitor.hpp"

#include "agent/health/http_get.hpp"
#include "shared/log.hpp"

namespace constellation::health {

CheckMonitor::CheckMonitor(asio::io_context& loop, asio::thread_pool& workers, std::string node,
                           std::vector<ServiceCheck> checks, RecordSink records, EventSink events)
    : loop_(loop),
      workers_(workers),
      node_(std::move(node)),
      record_sink_(std::move(records)),
      event_sink_(std::move(events)) {
  for (auto& check : checks)
    slots_.push_back({std::move(check), std::make_unique<asio::steady_timer>(loop), {}, {}});
}

CheckMonitor::~CheckMonitor() {
  stop();
}

void CheckMonitor::start() {
  running_ = true;
  for (std::size_t i = 0; i < slots_.size(); ++i) probe(i);
}

void CheckMonitor::stop() {
  running_ = false;
  for (auto& slot : slots_) slot.timer->cancel();
}

void CheckMonitor::probe(std::size_t index) {
  if (!running_) return;
  asio::post(workers_, [check = slots_[index].check, loop = &loop_,
                        alive = std::weak_ptr<int>(alive_), this, index] {
    ProbeOutcome outcome;
    if (check.tcp) {
      auto connected = tcp_connect(check.host, check.port, check.timeout);
      outcome.reached = connected.has_value();
      if (!connected) outcome.error = connected.error().message;
    } else {
      auto status = http_status(check.url, check.timeout);
      outcome.reached = status.has_value();
      if (status)
        outcome.http_status = *status;
      else
        outcome.error = status.error().message;
    }
    asio::post(*loop, [alive, this, index, outcome] {
      if (!alive.expired()) apply(index, outcome);
    });
  });
}

void CheckMonitor::apply(std::size_t index, ProbeOutcome outcome) {
  Slot& slot = slots_[index];
  auto record = check_record(slot.check, outcome, node_, now_ms());
  slot.error = check_failure(slot.check, outcome);
  const bool changed = !slot.record || !slot.record->same_state(record);
  if (slot.record && slot.record->status != record.status) {
    auto from = std::string(cluster::health_status_name(slot.record->status));
    auto to = std::string(cluster::health_status_name(record.status));
    log::get("health")->info("check {} {} -> {}{}", slot.check.name, from, to,
                             slot.error.empty() ? "" : ": " + slot.error);
    if (event_sink_)
      event_sink_(Event{.kind = "service.health_changed",
                        .subject = slot.check.name,
                        .detail = {{"check", slot.check.name},
                                   {"service", slot.check.name},
                                   {"from", from},
                                   {"to", to},
                                   {"error", slot.error}},
                        .actor = "health"});
  }
  record.version = changed ? ++version_ : slot.record->version;
  slot.record = std::move(record);
  if (changed && record_sink_) record_sink_(records());
  if (running_) {
    slot.timer->expires_after(slot.check.interval);
    slot.timer->async_wait([this, index, alive = std::weak_ptr<int>(alive_)](std::error_code ec) {
      if (!ec && !alive.expired()) probe(index);
    });
  }
}

std::vector<cluster::ServiceRecord> CheckMonitor::records() const {
  std::vector<cluster::ServiceRecord> out;
  for (const auto& slot : slots_)
    if (slot.record) out.push_back(*slot.record);
  return out;
}

nlohmann::json CheckMonitor::status_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& slot : slots_)
    list.push_back(
        {{"name", slot.check.name},
         {"url", slot.check.url},
         {"status", slot.record ? std::string(cluster::health_status_name(slot.record->status))
                                : std::string("pending")},
         {"error", slot.error},
         {"checked_at_ms", slot.record ? slot.record->checked_at_ms : 0}});
  return list;
}

}  // namespace constellation::health
