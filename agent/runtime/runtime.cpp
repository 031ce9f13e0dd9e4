// Runtime: ordered lifecycle, signals and the loop.
#include "agent/runtime/runtime.hpp"

#include <unistd.h>
#include <csignal>

#include "agent/runtime/sd_notify.hpp"
#include "shared/log.hpp"

namespace constellation::runtime {

std::string_view state_name(SubsystemState state) {
  switch (state) {
    case SubsystemState::pending:
      return "pending";
    case SubsystemState::running:
      return "running";
    case SubsystemState::stopped:
      return "stopped";
    case SubsystemState::failed:
      return "failed";
  }
  return "unknown";
}

Runtime::Runtime(Options options)
    : options_(options),
      workers_(static_cast<std::size_t>(options.worker_threads)),
      cron_(loop_, options.cron_interval),
      signals_(loop_, SIGTERM, SIGINT, SIGHUP) {}

Runtime::~Runtime() {
  workers_.join();
}

void Runtime::add(Subsystem subsystem) {
  subsystems_.push_back(std::move(subsystem));
  states_.push_back(SubsystemState::pending);
}

std::vector<Runtime::SubsystemInfo> Runtime::subsystems() const {
  std::vector<SubsystemInfo> out;
  for (std::size_t i = 0; i < subsystems_.size(); ++i)
    out.push_back({subsystems_[i].name, states_[i]});
  return out;
}

Status Runtime::run() {
  auto logger = log::get("runtime");
  started_at_ = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < subsystems_.size(); ++i) {
    auto started = subsystems_[i].start();
    if (!started) {
      states_[i] = SubsystemState::failed;
      logger->error("{} failed to start: {}", subsystems_[i].name, started.error().message);
      stop_subsystems();
      return std::unexpected(
          Error{started.error().code, subsystems_[i].name + ": " + started.error().message});
    }
    states_[i] = SubsystemState::running;
    logger->debug("{} started", subsystems_[i].name);
  }
  if (auto interval = sd::watchdog_interval()) {
    cron_.every("watchdog", std::chrono::duration_cast<std::chrono::milliseconds>(*interval),
                [] { sd::watchdog_ping(); });
  }
  cron_.start();
  watch_signals();
  sd::ready();
  logger->info("ready ({} subsystems)", subsystems_.size());
  loop_.run();
  drain_after_stop();
  return {};
}

void Runtime::watch_signals() {
  signals_.async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      log::get("runtime")->info("SIGHUP: reloading configuration");
      if (reload_) reload_();
      watch_signals();
      return;
    }
    if (stopping_started_) {
      // A second SIGTERM/SIGINT: the operator wants out now.
      log::get("runtime")->warn("second signal: forcing exit");
      ::_exit(exit_codes::failed);
    }
    request_stop(signal == SIGTERM ? "SIGTERM" : "SIGINT");
    watch_signals();
  });
}

void Runtime::request_stop(std::string_view reason) {
  if (stopping_started_) return;
  stopping_started_ = true;
  log::get("runtime")->info("stopping ({})", reason);
  sd::stopping();
  if (stopping_) stopping_();
  stop_subsystems();
  cron_.stop();
  loop_.stop();  // run() drains what the subsystems left behind, within the deadline
}

namespace {
extern "C" void force_exit(int) {
  ::_exit(exit_codes::failed);
}
}  // namespace

void Runtime::drain_after_stop() {
  // Subsystems are stopped; let their sessions and timers finish, but never for longer than
  // the deadline. A signal now means the operator wants out at once.
  signals_.clear();
  signals_.cancel();
  std::signal(SIGTERM, force_exit);
  std::signal(SIGINT, force_exit);
  loop_.restart();
  loop_.run_for(options_.stop_deadline);
  if (!loop_.stopped()) log::get("runtime")->warn("stop deadline passed with work pending");
  workers_.join();
}

void Runtime::stop_subsystems() {
  for (std::size_t i = subsystems_.size(); i-- > 0;) {
    if (states_[i] != SubsystemState::running) continue;
    subsystems_[i].stop();
    states_[i] = SubsystemState::stopped;
    log::get("runtime")->debug("{} stopped", subsystems_[i].name);
  }
}

}  // namespace constellation::runtime
