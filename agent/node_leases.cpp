// NodeAgent's lease glue: runs the LeaseManager on the loop (a timer at a tenth of the
// shortest TTL, plus an update after every replica refresh), journals lease.acting_started /
// lease.acting_stopped, and appends every acting interval to DATA_DIR/lease-history.ndjson
// so tests and benchmarks can check that no two nodes ever acted under one lease at once.
//
// The history lines carry CLOCK_MONOTONIC milliseconds (std::chrono::steady_clock), which
// every process on a host shares. A line is written when a window opens (until = the
// window's bound) and again when it is extended or closes, so a kill -9 leaves an interval
// that is still bounded by the last acting_until. The writes are small appends to the page
// cache, done inline on the loop so the line exists before may_act() says yes.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "agent/consensus/lease_config.hpp"
#include "agent/consensus/lease_manager.hpp"
#include "agent/consensus/raft_log.hpp"
#include "agent/consensus/state_machine.hpp"
#include "agent/node_agent.hpp"
#include "shared/log.hpp"

namespace constellation::agent {

Status NodeAgent::start_leases() {
  const auto& config = loaded_.config;
  auto specs = consensus::lease_specs(config.leases, config.lease_drift_margin.count());
  if (!specs) return std::unexpected(specs.error());
  const auto path = std::filesystem::path(config.data_dir) / "lease-history.ndjson";
  lease_history_fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (lease_history_fd_ < 0)
    log::get("leases")->warn("cannot open {}: {}; acting intervals are not recorded", path.string(),
                             std::strerror(errno));
  leases_ = std::make_unique<consensus::LeaseManager>(
      consensus::LeaseManagerOptions{.node = config.node,
                                     .clock = clock_id_,
                                     .leases = *specs,
                                     .drift_margin_ms = config.lease_drift_margin.count()},
      [] { return monotonic_ms(); },
      [this](consensus::Command command, consensus::LeaseManager::ProposeDone done) {
        propose(std::move(command), std::move(done));
      },
      [this](const consensus::ActingChange& change) { lease_acting_changed(change); });
  lease_timer_ = std::make_unique<asio::steady_timer>(runtime_.loop());
  schedule_lease_tick();
  return {};
}

void NodeAgent::schedule_lease_tick() {
  if (!lease_timer_ || !leases_) return;
  std::int64_t delay = leases_->tick_period_ms();
  if (auto due = leases_->next_due_ms())
    delay = std::clamp<std::int64_t>(*due - monotonic_ms() + 1, 1, delay);
  lease_timer_->expires_after(std::chrono::milliseconds(delay));
  lease_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    update_leases();
    schedule_lease_tick();
  });
}

void NodeAgent::update_leases() {
  if (!leases_ || !raft_ || !raft_mirror_) return;
  const auto& s = raft_->status();
  leases_->update(consensus::LeaseInputs{.replica = raft_mirror_.get(),
                                         .candidates = consensus_candidates(),
                                         .role = s.role,
                                         .ready = s.ready,
                                         .term = s.term});
}

void NodeAgent::lease_acting_changed(const consensus::ActingChange& change) {
  using Kind = consensus::ActingChange::Kind;
  if (lease_history_fd_ >= 0) {
    const std::string line = nlohmann::json{{"mono_ms_from", change.from_ms},
                                            {"mono_ms_until", change.until_ms},
                                            {"lease", change.lease},
                                            {"holder", loaded_.config.node},
                                            {"token", change.token}}
                                 .dump() +
                             "\n";
    if (::write(lease_history_fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      log::get("leases")->warn("lease history not written: {}", std::strerror(errno));
  }
  if (change.kind == Kind::extended) return;
  const bool started = change.kind == Kind::started;
  if (started)
    log::get("leases")->info("acting under lease {} with token {} for {} ms", change.lease,
                             change.token, change.until_ms - change.from_ms);
  else
    log::get("leases")->warn("stopped acting under lease {} (token {}): {}", change.lease,
                             change.token, change.reason);
  publish(Event{.kind = started ? "lease.acting_started" : "lease.acting_stopped",
                .detail = {{"lease", change.lease},
                           {"token", change.token},
                           {"reason", started ? "holding the lease with a renewed acting window"
                                              : change.reason}},
                .actor = "leases"});
}

void NodeAgent::stop_leases(std::function<void()> done) {
  if (lease_timer_) lease_timer_->cancel();
  if (!leases_) {
    done();
    return;
  }
  // Hand the leases back so the next holder need not wait a TTL; give up after a second
  // (no quorum) and let the grants expire instead.
  auto once = std::make_shared<std::function<void()>>(std::move(done));
  auto finish = [once] {
    if (auto f = std::exchange(*once, nullptr)) f();
  };
  auto deadline = std::make_shared<asio::steady_timer>(runtime_.loop());
  deadline->expires_after(std::chrono::seconds(1));
  deadline->async_wait([deadline, finish](boost::system::error_code) { finish(); });
  leases_->release_all([deadline, finish] {
    deadline->cancel();
    finish();
  });
}

std::vector<consensus::LeaseSpec> NodeAgent::lease_specs() const {
  const auto& config = loaded_.config;
  auto specs = consensus::lease_specs(config.leases, config.lease_drift_margin.count());
  return specs ? *specs : std::vector<consensus::LeaseSpec>{};  // validated at load
}

nlohmann::json NodeAgent::lease_acting_json(const std::string& lease) const {
  return leases_ ? leases_->acting_json(lease) : nlohmann::json(nullptr);
}

bool NodeAgent::lease_may_act(const std::string& lease) const {
  return leases_ && leases_->may_act(lease);
}

}  // namespace constellation::agent
