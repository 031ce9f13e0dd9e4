// When to restart an unhealthy container labelled deunhealth.restart.on.unhealthy=true:
// immediately the first time, then with exponential backoff, and not more than max_restarts
// within a sliding window, after which the policy gives up (reported once) until old restarts
// age out of the window. Sans-IO: the caller passes the time.
//
// Not thread-safe: owned by one thread (the agent's loop thread).
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <string>

namespace constellation::docker {

struct RepairOptions {
  int max_restarts = 5;  ///< per window
  std::chrono::milliseconds window{std::chrono::minutes(10)};
  std::chrono::milliseconds backoff{std::chrono::seconds(10)};  ///< before the 2nd restart
  std::chrono::milliseconds max_backoff{std::chrono::minutes(5)};
};

enum class RepairAction {
  restart,   ///< restart now
  wait,      ///< backing off: ask again after `delay`
  give_up,   ///< the cap is reached: report it (once)
  given_up,  ///< the cap is reached and was already reported
};

struct RepairDecision {
  RepairAction action = RepairAction::restart;
  std::chrono::milliseconds delay{0};  ///< for wait
  int restarts_in_window = 0;          ///< restarts already done within the window
};

class RepairPolicy {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RepairPolicy(RepairOptions options = {}) : options_(options) {}

  /// What to do about `container` being unhealthy at `now`.
  RepairDecision decide(const std::string& container, Clock::time_point now);
  /// Records a restart that was issued at `now`.
  void record_restart(const std::string& container, Clock::time_point now);
  /// Forgets a container (destroyed).
  void forget(const std::string& container) { history_.erase(container); }
  const RepairOptions& options() const { return options_; }

 private:
  struct History {
    std::deque<Clock::time_point> restarts;
    bool gave_up_reported = false;
  };
  RepairOptions options_;
  std::map<std::string, History> history_;
};

}  // namespace constellation::docker
