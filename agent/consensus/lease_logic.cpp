// Leader and holder lease rules. The safety argument: the holder's window ends at
// send(renewal) + TTL − margin; the leader counts TTL from when it saw that renewal commit
// (necessarily after the send) or from its own election, so the old holder has stopped
// before the leader grants again, as long as clock rates differ by less than the margin.
#include "agent/consensus/lease_logic.hpp"

#include <algorithm>
#include <utility>

namespace constellation::consensus {

std::optional<std::string> ineligibility(const Candidate& c, const LeaseSpec& spec) {
  if (!c.healthy) return c.node + " is not healthy in gossip";
  if (c.cordoned) return c.node + " is cordoned";
  if (!spec.capability.empty() && !c.capabilities.contains(spec.capability))
    return c.node + " lacks the capability " + spec.capability;
  return std::nullopt;
}

std::optional<std::string> best_candidate(const std::vector<Candidate>& candidates,
                                          const LeaseSpec& spec) {
  const Candidate* best = nullptr;
  for (const Candidate& c : candidates) {
    if (ineligibility(c, spec)) continue;
    if (!best || c.priority < best->priority ||
        (c.priority == best->priority && c.node < best->node))
      best = &c;
  }
  if (!best) return std::nullopt;
  return best->node;
}

void LeaseObserver::observe(const std::map<std::string, LeaseRecord>& leases, std::int64_t now_ms) {
  for (const auto& [name, record] : leases) {
    auto it = seen_.find(name);
    if (it == seen_.end() || it->second.revision != record.revision)
      seen_[name] = Observation{.revision = record.revision, .seen_at_ms = now_ms};
  }
}

std::optional<Observation> LeaseObserver::get(const std::string& lease) const {
  auto it = seen_.find(lease);
  if (it == seen_.end()) return std::nullopt;
  return it->second;
}

std::int64_t expiry_base(const LeaseRecord& record, const LeaderView& view) {
  if (!view.observed || view.observed->revision != record.revision) return view.now_ms;
  return std::max(view.observed->seen_at_ms, view.leader_since_ms);
}

namespace {

std::string no_candidate_reason(const std::vector<Candidate>& candidates, const LeaseSpec& spec) {
  if (candidates.empty()) return "no candidate nodes are known";
  std::string why = "no eligible candidate:";
  for (const Candidate& c : candidates)
    if (auto reason = ineligibility(c, spec)) why += " " + *reason + ";";
  why.pop_back();
  return why;
}

const Candidate* find(const std::vector<Candidate>& candidates, const std::string& node) {
  for (const Candidate& c : candidates)
    if (c.node == node) return &c;
  return nullptr;
}

}  // namespace

LeaderDecision decide(const LeaseSpec& spec, const LeaseRecord* record,
                      const std::vector<Candidate>& candidates, const LeaderView& view) {
  const auto best = best_candidate(candidates, spec);
  if (!record || record->holder.empty()) {
    if (!best)
      return LeaderDecision{.action = LeaderAction::keep,
                            .reason = "lease " + spec.name +
                                      " has no holder: " + no_candidate_reason(candidates, spec)};
    return LeaderDecision{
        .action = LeaderAction::grant,
        .to = *best,
        .reason = "lease " + spec.name + " is free; " + *best + " is the preferred candidate"};
  }
  const Candidate* holder = find(candidates, record->holder);
  const std::optional<std::string> holder_problem =
      holder ? ineligibility(*holder, spec)
             : std::optional<std::string>(record->holder + " is not a known member");
  const std::int64_t base = expiry_base(*record, view);
  const std::int64_t expires_at = base + record->ttl_ms;
  const bool expired = view.now_ms >= expires_at;
  if (!expired) {
    if (!holder_problem)
      return LeaderDecision{
          .action = LeaderAction::keep,
          .reason = "held by " + record->holder + " (token " + std::to_string(record->token) + ")"};
    return LeaderDecision{.action = LeaderAction::wait,
                          .wait_until_ms = expires_at,
                          .reason = record->holder + " must hand lease " + spec.name + " over (" +
                                    *holder_problem +
                                    ") but its grant may be in force for another " +
                                    std::to_string(expires_at - view.now_ms) + " ms"};
  }
  // Expired by this leader's measure: no renewal committed for a full TTL.
  const std::string why_expired = "no renewal from " + record->holder + " for " +
                                  std::to_string(view.now_ms - base) + " ms (TTL " +
                                  std::to_string(record->ttl_ms) + " ms)";
  if (!best)
    return LeaderDecision{.action = LeaderAction::expire,
                          .expect_revision = record->revision,
                          .reason = why_expired + "; " + no_candidate_reason(candidates, spec)};
  if (*best == record->holder)
    // The holder itself is the best choice but stopped renewing; free the lease so that it
    // (or anyone) gets a new token rather than silently resuming the old one.
    return LeaderDecision{
        .action = LeaderAction::expire, .expect_revision = record->revision, .reason = why_expired};
  return LeaderDecision{.action = LeaderAction::grant,
                        .to = *best,
                        .expect_revision = record->revision,
                        .reason = why_expired + "; taken over by " + *best};
}

Status validate_timing(const HolderTiming& t) {
  if (t.ttl_ms <= 0)
    return fail(ErrorCode::bad_config,
                "lease TTL must be positive, got " + std::to_string(t.ttl_ms) + " ms");
  if (t.drift_margin_ms <= 0)
    return fail(ErrorCode::bad_config, "lease drift margin must be positive, got " +
                                           std::to_string(t.drift_margin_ms) + " ms");
  if (t.ttl_ms / 3 >= t.ttl_ms - t.drift_margin_ms)
    return fail(ErrorCode::bad_config,
                "lease drift margin " + std::to_string(t.drift_margin_ms) +
                    " ms is too large for TTL " + std::to_string(t.ttl_ms) +
                    " ms: renewals (every TTL/3) would come after the acting window closes; "
                    "keep the margin below 2/3 of the TTL");
  return {};
}

void HolderClock::granted(std::uint64_t token, std::int64_t requested_at_ms) {
  holding_ = true;
  token_ = token;
  last_success_sent_ = requested_at_ms;
  pending_sent_.reset();
  acting_until_ = requested_at_ms + timing_.ttl_ms - timing_.drift_margin_ms;
}

void HolderClock::renewal_sent(std::int64_t now_ms) {
  if (holding_) pending_sent_ = now_ms;
}

void HolderClock::renewal_committed() {
  if (!holding_ || !pending_sent_) return;
  last_success_sent_ = std::max(last_success_sent_, *pending_sent_);
  acting_until_ =
      std::max(acting_until_, *pending_sent_ + timing_.ttl_ms - timing_.drift_margin_ms);
  pending_sent_.reset();
}

void HolderClock::renewal_failed(bool refused) {
  pending_sent_.reset();
  if (refused) drop("the renewal was refused: the lease is no longer ours");
}

void HolderClock::drop(std::string reason) {
  if (!holding_) return;
  holding_ = false;
  pending_sent_.reset();
  stop_reason_ = std::move(reason);
}

HolderStep HolderClock::tick(std::int64_t now_ms) {
  HolderStep step;
  const bool may = may_act(now_ms);
  if (acting_ && !may) {
    acting_ = false;
    step.stopped = true;
    if (holding_)
      stop_reason_ = "could not renew in time: the acting window closed " +
                     std::to_string(now_ms - acting_until_) + " ms ago";
  } else if (!acting_ && may) {
    acting_ = true;
    step.started = true;
  }
  if (holding_ && !pending_sent_ && now_ms >= next_renewal_ms()) step.send_renewal = true;
  return step;
}

}  // namespace constellation::consensus
