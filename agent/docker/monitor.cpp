// DockerMonitor (monitor.hpp): the asio/thread adapter around MonitorState, RepairPolicy and
// the network plan. Blocking calls go to the worker pool with copies of the client; results
// come back to the loop thread, where all state lives.
#include "agent/docker/monitor.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "shared/log.hpp"

namespace constellation::docker {
namespace {

using Clock = std::chrono::steady_clock;

auto logger() {
  return log::get("docker");
}

/// Container actions that change what the monitor reports.
const std::vector<std::string> kWatchedActions = {
    "create", "start",   "restart",       "die",     "stop",   "kill",  "oom",
    "pause",  "unpause", "health_status", "destroy", "rename", "update"};

/// Sleeps `delay` or until stop is requested; returns false when stopped.
bool sleep_unless_stopped(std::stop_token stop, std::chrono::milliseconds delay) {
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  return !cv.wait_for(lock, stop, delay, [] { return false; }) && !stop.stop_requested();
}

}  // namespace

std::chrono::milliseconds reconnect_delay(int failures, std::chrono::milliseconds base,
                                          std::chrono::milliseconds cap) {
  auto delay = base;
  for (int i = 0; i < failures && delay < cap; ++i) delay *= 2;
  return std::min(delay, cap);
}

/// What one full reconcile found, computed on a worker.
struct DockerMonitor::ReconcileOutcome {
  std::optional<Error> error{};  ///< listing failed: nothing else is valid
  std::vector<MappedContainer> containers{};
  std::vector<NetworkCheck> networks{};
  std::vector<std::string> created{};         ///< networks created this time
  std::vector<Attachment> attached{};         ///< connects that succeeded
  std::vector<std::string> network_errors{};  ///< creates/connects that failed
};

DockerMonitor::DockerMonitor(asio::io_context& loop, asio::thread_pool& workers,
                             MonitorOptions options, RecordSink records, EventSink events)
    : loop_(loop),
      workers_(workers),
      options_(std::move(options)),
      record_sink_(std::move(records)),
      event_sink_(std::move(events)),
      client_(options_.host, options_.timeouts),
      repair_(options_.repair),
      reconcile_timer_(loop) {}

DockerMonitor::~DockerMonitor() {
  stop();
}

template <typename Work, typename Then>
void DockerMonitor::offload(Work work, Then then) {
  asio::post(
      workers_, [client = DockerClient(client_), loop = &loop_, alive = std::weak_ptr<int>(alive_),
                 work = std::move(work), then = std::move(then)]() mutable {
        auto result = work(client);
        asio::post(*loop, [alive, then = std::move(then), result = std::move(result)]() mutable {
          if (!alive.expired()) then(std::move(result));
        });
      });
}

void DockerMonitor::start() {
  if (running_) return;
  running_ = true;
  logger()->info("monitoring Docker at {} (reconcile every {} ms)", options_.host.describe(),
                 options_.reconcile_interval.count());
  stream_thread_ = std::jthread([this](std::stop_token stop) { run_stream(std::move(stop)); });
  arm_reconcile_timer();
}

void DockerMonitor::stop() {
  if (!running_) return;
  running_ = false;
  reconcile_timer_.cancel();
  for (auto& [id, timer] : repair_timers_) timer->cancel();
  repair_timers_.clear();
  if (stream_thread_.joinable()) {
    stream_thread_.request_stop();
    stream_thread_.join();
  }
}

// The stream thread: ping, announce, stream until the engine drops it, back off, repeat.
// It touches no member state: it posts everything to the loop thread.
void DockerMonitor::run_stream(std::stop_token stop) {
  DockerClient client(options_.host, options_.timeouts);
  const auto base = options_.reconnect_base, cap = options_.reconnect_cap;
  asio::io_context* loop = &loop_;
  std::weak_ptr<int> alive = alive_;
  auto to_loop = [loop, alive](auto fn) {
    asio::post(*loop, [alive, fn = std::move(fn)]() mutable {
      if (!alive.expired()) fn();
    });
  };
  int failures = 0;
  while (!stop.stop_requested()) {
    auto ping = client.ping();
    if (!ping) {
      auto delay = reconnect_delay(failures++, base, cap);
      to_loop([this, e = ping.error(), delay] { on_engine_down(e, delay); });
      if (!sleep_unless_stopped(stop, delay)) break;
      continue;
    }
    // Replay from a second back so nothing between the reconcile's listing and the stream's
    // start is lost; duplicates only cause a redundant inspect.
    const auto since = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count() -
                       1;
    to_loop([this, p = *ping] { on_engine_up(p); });
    EventsQuery query{.filters = {{"type", {"container"}}, {"event", kWatchedActions}},
                      .since = since,
                      .until = {}};
    auto ended = client.events(
        query, [&](const Event& event) { to_loop([this, event] { on_docker_event(event); }); },
        stop);
    if (stop.stop_requested()) break;
    failures = ended ? 0 : failures;
    auto delay = reconnect_delay(failures++, base, cap);
    Error error =
        ended ? Error{ErrorCode::unavailable, "Docker ended the event stream"} : ended.error();
    to_loop([this, error, delay] { on_engine_down(error, delay); });
    if (!sleep_unless_stopped(stop, delay)) break;
  }
}

void DockerMonitor::on_engine_up(PingResult ping) {
  const bool was_down = available_.has_value() && !*available_;
  available_ = true;
  engine_ = ping;
  if (was_down) {
    logger()->info("Docker at {} is back ({})", options_.host.describe(), ping.server);
    emit("docker.recovered", options_.host.describe(),
         {{"endpoint", options_.host.describe()},
          {"server", ping.server},
          {"api_version", ping.negotiated.str()},
          {"was", outage_ ? outage_->message : std::string()}});
  } else {
    logger()->info("connected to Docker at {} ({}, API {})", options_.host.describe(), ping.server,
                   ping.negotiated.str());
  }
  outage_.reset();
  reconcile_now();
}

void DockerMonitor::on_engine_down(Error error, std::chrono::milliseconds retry_in) {
  retry_in_ = retry_in;
  const bool was_up = !available_.has_value() || *available_;
  available_ = false;
  const bool same = outage_ && outage_->message == error.message;
  outage_ = error;
  if (was_up) {
    logger()->warn("Docker unavailable: {} (retrying with backoff up to {} s)", error.message,
                   options_.reconnect_cap.count() / 1000);
    emit("docker.unavailable", options_.host.describe(),
         {{"endpoint", options_.host.describe()}, {"error", error.message}});
  } else if (!same) {
    logger()->warn("Docker still unavailable: {}", error.message);
  }
}

void DockerMonitor::on_docker_event(Event event) {
  if (event.type != "container" || event.actor_id.empty()) return;
  if (event.action == "destroy") {
    repair_.forget(event.actor_id);
    apply(state_.remove(event.actor_id), true);
    return;
  }
  inspect(event.actor_id);
}

void DockerMonitor::inspect(const std::string& id) {
  if (auto it = inspecting_.find(id); it != inspecting_.end()) {
    it->second = true;  // coalesce: one more inspect when this one returns
    return;
  }
  inspecting_[id] = false;
  offload([id](DockerClient& client) { return client.inspect_container(id); },
          [this, id](Result<ContainerInfo> info) {
            bool again = inspecting_[id];
            inspecting_.erase(id);
            if (info) {
              auto mapped = map_container(*info, options_.node, now_ms());
              note_warnings(mapped);
              apply(state_.upsert(std::move(mapped)), true);
              consider_repair(id);
            } else if (info.error().code == ErrorCode::not_found) {
              apply(state_.remove(id), true);
            } else {
              logger()->debug("inspect {} failed: {}", id, info.error().message);
            }
            if (again && running_) inspect(id);
          });
}

void DockerMonitor::reconcile_now() {
  if (!running_) return;
  if (reconcile_running_) {
    reconcile_again_ = true;
    return;
  }
  reconcile_running_ = true;
  offload(
      [node = options_.node, desired = options_.networks](DockerClient& client) {
        ReconcileOutcome out;
        auto list = client.list_containers(true);
        if (!list) {
          out.error = list.error();
          return out;
        }
        for (const auto& summary : *list) {
          auto info = client.inspect_container(summary.id);
          if (!info) continue;  // removed between list and inspect
          out.containers.push_back(map_container(*info, node, now_ms()));
        }
        if (desired.empty()) return out;
        auto networks = client.list_networks();
        if (!networks) {
          out.network_errors.push_back("cannot list networks: " + networks.error().message);
          return out;
        }
        out.networks = check_networks(desired, *networks);
        std::vector<std::string> usable;
        for (auto& check : out.networks) {
          if (check.state == NetworkState::missing) {
            auto created =
                client.create_network(NetworkSpec{.name = check.desired.name,
                                                  .driver = "bridge",
                                                  .pools = {{check.desired.subnet, {}}},
                                                  .labels = {{"constellation.managed", "true"}},
                                                  .internal = false,
                                                  .attachable = false});
            if (created) {
              check.state = NetworkState::present;
              check.id = *created;
              out.created.push_back(check.desired.name);
            } else {
              out.network_errors.push_back("cannot create network " + check.desired.name + " (" +
                                           check.desired.subnet + "): " + created.error().message);
            }
          }
          if (check.state == NetworkState::present) usable.push_back(check.desired.name);
        }
        std::vector<const MappedContainer*> candidates;
        for (const auto& c : out.containers) candidates.push_back(&c);
        for (const auto& attach : plan_attachments(candidates, usable)) {
          auto connected = client.connect_network(attach.network, attach.container);
          if (!connected) {
            out.network_errors.push_back("cannot attach " + attach.container + " to " +
                                         attach.network + ": " + connected.error().message);
            continue;
          }
          out.attached.push_back(attach);
          auto again = client.inspect_container(attach.container);
          if (!again) continue;
          for (auto& c : out.containers)
            if (c.id == again->id) c = map_container(*again, node, now_ms());
        }
        return out;
      },
      [this](ReconcileOutcome outcome) { apply_reconcile(std::move(outcome)); });
}

void DockerMonitor::apply_reconcile(ReconcileOutcome outcome) {
  reconcile_running_ = false;
  if (outcome.error) {
    if (outcome.error->code == ErrorCode::unavailable || outcome.error->code == ErrorCode::timeout)
      on_engine_down(*outcome.error, retry_in_);
    else
      logger()->warn("reconcile failed: {}", outcome.error->message);
  } else {
    const bool first = reconciles_ == 0;
    for (const auto& c : outcome.containers) note_warnings(c);
    apply(state_.reconcile(std::move(outcome.containers)), !first);
    ++reconciles_;
    last_reconcile_ms_ = now_ms();
    for (const auto& name : outcome.created) {
      logger()->info("created network {}", name);
      auto it = std::ranges::find(options_.networks, name, &DesiredNetwork::name);
      emit("docker.network_created", name,
           {{"network", name}, {"subnet", it != options_.networks.end() ? it->subnet : ""}});
    }
    for (const auto& check : outcome.networks) {
      if (check.state != NetworkState::conflict) continue;
      bool known = std::ranges::any_of(network_checks_, [&](const NetworkCheck& old) {
        return old.desired.name == check.desired.name && old.state == NetworkState::conflict &&
               old.actual_subnets == check.actual_subnets;
      });
      if (known) continue;
      logger()->warn("{}", conflict_message(check));
      emit("docker.network_conflict", check.desired.name,
           {{"network", check.desired.name},
            {"wanted", check.desired.subnet},
            {"actual", check.actual_subnets}});
    }
    for (const auto& attach : outcome.attached) {
      logger()->info("attached {} to {}", attach.container, attach.network);
      emit("docker.network_attached", attach.container,
           {{"container", attach.container}, {"network", attach.network}});
    }
    for (const auto& error : outcome.network_errors) {
      if (std::ranges::find(network_errors_, error) == network_errors_.end())
        logger()->warn("{}", error);
    }
    if (!outcome.networks.empty() || options_.networks.empty())
      network_checks_ = std::move(outcome.networks);
    network_errors_ = std::move(outcome.network_errors);
    std::vector<std::string> ids;
    for (const auto& [id, c] : state_.containers()) ids.push_back(id);
    for (const auto& id : ids) consider_repair(id);
  }
  if (reconcile_again_) {
    reconcile_again_ = false;
    reconcile_now();
  }
}

void DockerMonitor::apply(UpdateResult result, bool announce_new) {
  for (const auto& flip : result.flips) {
    if (flip.from && flip.to) {
      auto from = std::string(cluster::health_status_name(*flip.from));
      auto to = std::string(cluster::health_status_name(*flip.to));
      logger()->info("{} ({}) {} -> {}", flip.service, flip.container, from, to);
      emit("service.health_changed", flip.service,
           {{"container", flip.container}, {"service", flip.service}, {"from", from}, {"to", to}});
    } else if (flip.to && announce_new) {
      emit("service.added", flip.service,
           {{"container", flip.container},
            {"service", flip.service},
            {"to", std::string(cluster::health_status_name(*flip.to))}});
    } else if (flip.from && !flip.to) {
      emit("service.removed", flip.service,
           {{"container", flip.container}, {"service", flip.service}});
    }
  }
  if (result.records_changed && record_sink_) record_sink_(state_.records());
}

void DockerMonitor::note_warnings(const MappedContainer& container) {
  for (const auto& warning : container.warnings) {
    if (!warned_.insert(container.id + "\n" + warning).second) continue;
    logger()->warn("{}", warning);
    emit("docker.label_warning", container.name,
         {{"container", container.name}, {"warning", warning}});
  }
}

void DockerMonitor::consider_repair(const std::string& id) {
  auto it = state_.containers().find(id);
  if (it == state_.containers().end()) return;
  const MappedContainer& c = it->second;
  if (!c.restart_on_unhealthy || c.record.status != cluster::HealthStatus::unhealthy) return;
  if (restarting_.contains(id) || repair_timers_.contains(id) || !running_) return;
  auto decision = repair_.decide(id, Clock::now());
  const auto& options = repair_.options();
  switch (decision.action) {
    case RepairAction::given_up:
      return;
    case RepairAction::give_up:
      logger()->error("{} ({}) is still unhealthy after {} restarts in {} s; giving up",
                      c.record.service, c.name, decision.restarts_in_window,
                      options.window.count() / 1000);
      emit("repair.gave_up", c.record.service,
           {{"container", c.name},
            {"service", c.record.service},
            {"restarts", decision.restarts_in_window},
            {"window_ms", options.window.count()}});
      return;
    case RepairAction::wait: {
      auto timer = std::make_unique<asio::steady_timer>(loop_, decision.delay);
      timer->async_wait([this, id, alive = std::weak_ptr<int>(alive_)](std::error_code ec) {
        if (alive.expired() || ec) return;
        repair_timers_.erase(id);
        consider_repair(id);
      });
      repair_timers_[id] = std::move(timer);
      return;
    }
    case RepairAction::restart:
      break;
  }
  repair_.record_restart(id, Clock::now());
  restarting_.insert(id);
  const int attempt = decision.restarts_in_window + 1;
  std::string name = c.name, service = c.record.service;
  offload([id](DockerClient& client) { return client.restart_container(id); },
          [this, id, name, service, attempt](Status restarted) {
            restarting_.erase(id);
            if (restarted) {
              logger()->warn("restarted unhealthy {} ({}), attempt {}", service, name, attempt);
              emit("repair.restart", service,
                   {{"container", name}, {"service", service}, {"attempt", attempt}});
            } else {
              logger()->error("restarting unhealthy {} failed: {}", name,
                              restarted.error().message);
              emit("repair.failed", service,
                   {{"container", name},
                    {"service", service},
                    {"attempt", attempt},
                    {"error", restarted.error().message}});
            }
            inspect(id);
          });
}

void DockerMonitor::arm_reconcile_timer() {
  if (!running_) return;
  reconcile_timer_.expires_after(options_.reconcile_interval);
  reconcile_timer_.async_wait([this, alive = std::weak_ptr<int>(alive_)](std::error_code ec) {
    if (alive.expired() || ec || !running_) return;
    if (available()) reconcile_now();
    arm_reconcile_timer();
  });
}

void DockerMonitor::restart(const std::string& name, const std::string& actor,
                            std::function<void(Result<nlohmann::json>)> done) {
  if (!available()) {
    done(fail(ErrorCode::unavailable,
              "Docker at " + options_.host.describe() + " is unavailable: " +
                  (outage_ ? outage_->message : std::string("not connected yet"))));
    return;
  }
  const MappedContainer* c = state_.find(name);
  if (!c) {
    done(fail(ErrorCode::not_found, "no container or service '" + name + "' on node " +
                                        options_.node +
                                        " (`constellation containers` lists them)"));
    return;
  }
  nlohmann::json reply{{"container", c->name}, {"id", c->id}, {"service", c->record.service}};
  std::string id = c->id;
  offload([id](DockerClient& client) { return client.restart_container(id); },
          [this, id, actor, reply, done = std::move(done)](Status restarted) {
            if (!restarted) {
              done(std::unexpected(restarted.error()));
              return;
            }
            emit("container.restarted", reply["service"].get<std::string>(),
                 {{"container", reply["container"]}, {"service", reply["service"]}, {"by", actor}});
            inspect(id);
            done(reply);
          });
}

std::vector<std::string> DockerMonitor::problems() const {
  std::vector<std::string> out;
  if (available_ && !*available_) {
    out.push_back("docker: " + (outage_ ? outage_->message : std::string("unavailable")) +
                  " (retrying in " + std::to_string(retry_in_.count() / 1000) + " s)");
  } else if (!available_) {
    out.push_back("docker: not connected yet to " + options_.host.describe());
  }
  for (const auto& check : network_checks_)
    if (check.state == NetworkState::conflict) out.push_back("docker: " + conflict_message(check));
  for (const auto& error : network_errors_) out.push_back("docker: " + error);
  return out;
}

nlohmann::json DockerMonitor::status_json() const {
  nlohmann::json networks = nlohmann::json::array();
  for (const auto& check : network_checks_) {
    const char* state = check.state == NetworkState::present   ? "present"
                        : check.state == NetworkState::missing ? "missing"
                                                               : "conflict";
    networks.push_back({{"name", check.desired.name},
                        {"subnet", check.desired.subnet},
                        {"state", state},
                        {"actual", check.actual_subnets}});
  }
  return {{"enabled", true},
          {"available", available()},
          {"endpoint", options_.host.describe()},
          {"api_version", engine_ ? engine_->negotiated.str() : ""},
          {"server", engine_ ? engine_->server : ""},
          {"error", outage_ ? outage_->message : ""},
          {"containers", state_.containers().size()},
          {"reconciles", reconciles_},
          {"last_reconcile_ms", last_reconcile_ms_},
          {"networks", std::move(networks)}};
}

nlohmann::json DockerMonitor::containers_json() const {
  std::vector<const MappedContainer*> sorted;
  for (const auto& [id, c] : state_.containers()) sorted.push_back(&c);
  std::ranges::sort(sorted, {}, &MappedContainer::name);
  nlohmann::json list = nlohmann::json::array();
  for (const auto* c : sorted) list.push_back(to_json(*c));
  return {{"node", options_.node},
          {"available", available()},
          {"error", outage_ ? outage_->message : ""},
          {"containers", std::move(list)}};
}

void DockerMonitor::emit(std::string kind, std::string subject, nlohmann::json detail) {
  if (!event_sink_) return;
  event_sink_(constellation::Event{.kind = std::move(kind),
                                   .subject = std::move(subject),
                                   .detail = std::move(detail),
                                   .actor = "docker"});
}

}  // namespace constellation::docker
