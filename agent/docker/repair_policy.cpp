// RepairPolicy (repair_policy.hpp): a sliding-window cap plus exponential backoff, the two
// things deunhealth lacks (it restarts a crash-looping container forever).
#include "agent/docker/repair_policy.hpp"

#include <algorithm>

namespace constellation::docker {

RepairDecision RepairPolicy::decide(const std::string& container, Clock::time_point now) {
  auto& h = history_[container];
  while (!h.restarts.empty() && now - h.restarts.front() >= options_.window) h.restarts.pop_front();
  const int done = static_cast<int>(h.restarts.size());
  if (done < options_.max_restarts) h.gave_up_reported = false;
  if (done >= options_.max_restarts) {
    if (h.gave_up_reported) return {RepairAction::given_up, {}, done};
    h.gave_up_reported = true;
    return {RepairAction::give_up, {}, done};
  }
  if (done == 0) return {RepairAction::restart, {}, 0};
  auto delay = options_.backoff;
  for (int i = 1; i < done && delay < options_.max_backoff; ++i) delay *= 2;
  delay = std::min(delay, options_.max_backoff);
  auto ready_at = h.restarts.back() + delay;
  if (now >= ready_at) return {RepairAction::restart, {}, done};
  return {RepairAction::wait, std::chrono::ceil<std::chrono::milliseconds>(ready_at - now), done};
}

void RepairPolicy::record_restart(const std::string& container, Clock::time_point now) {
  history_[container].restarts.push_back(now);
}

}  // namespace constellation::docker
