// The lease engine's two sides. The leader proposes what decide() says, one proposal per
// lease at a time, counting TTLs from its own election (a fresh LeaseObserver). The holder
// adopts a grant it reads in its replica with no window until its own first renewal commits
// (or from its request time when it granted the lease to itself as leader), renews at TTL/3
// and reports every opening, extension and closing of its window before may_act() shows it.
#include "agent/consensus/lease_manager.hpp"

#include <algorithm>
#include <utility>

#include "shared/log.hpp"

namespace constellation::consensus {
namespace {

bool refused(const Error& e) {
  return e.code == ErrorCode::conflict || e.code == ErrorCode::not_found;
}

}  // namespace

LeaseManager::LeaseManager(LeaseManagerOptions options, NowFn now, ProposeFn propose,
                           ActingObserver observer)
    : options_(std::move(options)),
      now_(std::move(now)),
      propose_(std::move(propose)),
      observer_(std::move(observer)),
      alive_(std::make_shared<LeaseManager*>(this)) {}

LeaseManager::~LeaseManager() = default;

std::int64_t LeaseManager::margin_for(std::int64_t ttl_ms) const {
  return options_.drift_margin_ms > 0 ? options_.drift_margin_ms
                                      : std::max<std::int64_t>(1, ttl_ms / 10);
}

std::int64_t LeaseManager::tick_period_ms() const {
  std::int64_t shortest = 0;
  for (const LeaseSpec& s : options_.leases)
    if (shortest == 0 || s.ttl_ms < shortest) shortest = s.ttl_ms;
  return shortest > 0 ? std::max<std::int64_t>(10, shortest / 10) : 1000;
}

std::string LeaseManager::next_id() {
  return options_.clock + "/l" + std::to_string(++ids_);
}

void LeaseManager::update(const LeaseInputs& in) {
  if (!in.replica) return;
  const std::int64_t now = now_();
  if (in.role == Role::leader && in.ready && !shutting_down_) {
    lead(in, now);
  } else if (leading_) {
    leading_.reset();
    reasons_.clear();
    waits_.clear();
    logged_.clear();
  }
  hold(in, now);
}

// ---- leader side ----

void LeaseManager::lead(const LeaseInputs& in, std::int64_t now) {
  if (!leading_ || leading_->term != in.term) {
    // A new term: nothing seen under an earlier one counts (a renewal it missed may have
    // committed), so every TTL starts again from now.
    leading_ = Leading{.term = in.term, .since_ms = now, .observer = {}};
    log::get("leases")->info("leading the lease decisions in term {}", in.term);
  }
  leading_->observer.observe(in.replica->leases(), now);
  for (const LeaseSpec& spec : options_.leases) {
    if (in_flight_.contains(spec.name)) continue;
    LeaderDecision d = decide(spec, in.replica->lease(spec.name), in.candidates,
                              LeaderView{.now_ms = now,
                                         .leader_since_ms = leading_->since_ms,
                                         .observed = leading_->observer.get(spec.name)});
    // Log when the kind of decision changes, not every tick of a countdown.
    auto [logged, fresh] = logged_.try_emplace(spec.name, LeaderAction::keep);
    if (d.action != LeaderAction::keep && (fresh || logged->second != d.action))
      log::get("leases")->info("{}", d.reason);
    logged->second = d.action;
    reasons_[spec.name] = d.reason;
    if (d.action == LeaderAction::wait)
      waits_[spec.name] = d.wait_until_ms;
    else
      waits_.erase(spec.name);
    propose_decision(spec, d, now);
  }
}

void LeaseManager::propose_decision(const LeaseSpec& spec, const LeaderDecision& d,
                                    std::int64_t now) {
  Command command;
  if (d.action == LeaderAction::grant) {
    command = LeaseGrant{.id = next_id(),
                         .lease = spec.name,
                         .holder = d.to,
                         .ttl_ms = spec.ttl_ms,
                         .now_ms = now,
                         .clock = options_.clock,
                         .expect_revision = d.expect_revision};
  } else if (d.action == LeaderAction::expire) {
    command = LeaseExpire{.id = next_id(),
                          .lease = spec.name,
                          .expect_revision = d.expect_revision.value_or(0),
                          .now_ms = now,
                          .clock = options_.clock};
  } else {
    return;
  }
  in_flight_.insert(spec.name);
  const bool to_self = d.action == LeaderAction::grant && d.to == options_.node;
  std::weak_ptr<LeaseManager*> alive = alive_;
  propose_(std::move(command), [alive, lease = spec.name, to_self, now](Result<std::string> r) {
    auto self = alive.lock();
    if (!self) return;
    LeaseManager& m = **self;
    m.in_flight_.erase(lease);
    if (!r) {
      log::get("leases")->warn("lease {}: proposal failed: {}", lease, r.error().message);
      return;
    }
    ApplyResult applied = decode_result(*r);
    if (!applied) {
      log::get("leases")->debug("lease {}: {}", lease, applied.error().message);
      return;
    }
    log::get("leases")->info("{}", applied->summary);
    if (!to_self || applied->op != "lease_grant") return;
    // We asked for it at `now`: our window may run from that request time.
    m.self_grants_[lease] = {applied->token, now};
    auto it = m.held_.find(lease);
    if (m.shutting_down_ || m.dropped_[lease] >= applied->token) return;
    if (it == m.held_.end() || it->second.clock.token() < applied->token) {
      const LeaseSpec* spec = nullptr;
      for (const LeaseSpec& s : m.options_.leases)
        if (s.name == lease) spec = &s;
      if (!spec) return;
      Held held{.clock = HolderClock({spec->ttl_ms, m.margin_for(spec->ttl_ms)})};
      held.clock.granted(applied->token, now);
      if (it != m.held_.end() && it->second.acting_from)
        m.report(ActingChange::Kind::stopped, lease, it->second, m.now_(),
                 "a newer grant replaced token " + std::to_string(it->second.clock.token()));
      m.held_.insert_or_assign(lease, std::move(held));
      m.step(lease, m.now_());
    }
  });
}

std::string LeaseManager::leader_reason(const std::string& lease) const {
  auto it = reasons_.find(lease);
  return it == reasons_.end() ? std::string() : it->second;
}

// ---- holder side ----

void LeaseManager::hold(const LeaseInputs& in, std::int64_t now) {
  const bool cordoned = in.replica->cordoned(options_.node);
  for (const auto& [name, record] : in.replica->leases()) {
    if (record.holder != options_.node || shutting_down_) continue;
    if (auto d = dropped_.find(name); d != dropped_.end() && d->second >= record.token) continue;
    if (cordoned) continue;  // handled below for held leases; never adopt while cordoned
    auto it = held_.find(name);
    if (it == held_.end() || it->second.clock.token() < record.token) adopt(name, record, now);
  }
  std::vector<std::string> names;
  for (const auto& [name, held] : held_) names.push_back(name);
  for (const std::string& name : names) {
    Held& held = held_.at(name);
    if (held.clock.holding()) {
      const LeaseRecord* record = in.replica->lease(name);
      const std::uint64_t token = held.clock.token();
      if (cordoned) {
        drop(name, "this node is cordoned: handing lease " + name + " over", true);
      } else if (record && record->token == token && record->holder != options_.node) {
        drop(name,
             "the replicated state shows lease " + name + " " +
                 (record->holder.empty() ? "free" : "held by " + record->holder) +
                 " under our token " + std::to_string(token),
             false);
      } else if (record && record->token > token) {
        drop(name,
             "lease " + name + " moved to " + (record->holder.empty() ? "nobody" : record->holder) +
                 " with token " + std::to_string(record->token),
             false);
      }
    }
    step(name, now);
    auto it = held_.find(name);
    if (it != held_.end() && !it->second.clock.holding() && !it->second.acting_from)
      held_.erase(it);
  }
}

void LeaseManager::adopt(const std::string& lease, const LeaseRecord& record, std::int64_t now) {
  Held held{.clock = HolderClock({record.ttl_ms, margin_for(record.ttl_ms)})};
  auto self = self_grants_.find(lease);
  if (self != self_grants_.end() && self->second.first == record.token)
    held.clock.granted(record.token, self->second.second);
  else
    // Learnt from the replica: no window until our own first renewal commits.
    held.clock.granted(record.token, now - record.ttl_ms);
  auto it = held_.find(lease);
  if (it != held_.end() && it->second.acting_from)
    report(ActingChange::Kind::stopped, lease, it->second, now,
           "a newer grant replaced token " + std::to_string(it->second.clock.token()));
  held_.insert_or_assign(lease, std::move(held));
  log::get("leases")->info("holding lease {} with token {}", lease, record.token);
}

void LeaseManager::drop(const std::string& lease, const std::string& reason, bool release) {
  auto it = held_.find(lease);
  if (it == held_.end() || !it->second.clock.holding()) return;
  const std::uint64_t token = it->second.clock.token();
  it->second.clock.drop(reason);
  dropped_[lease] = std::max(dropped_[lease], token);
  log::get("leases")->info("dropping lease {} (token {}): {}", lease, token, reason);
  if (!release) return;
  propose_(LeaseRelease{.id = next_id(),
                        .lease = lease,
                        .holder = options_.node,
                        .token = token,
                        .now_ms = now_(),
                        .clock = options_.clock},
           [lease](Result<std::string> r) {
             if (!r)
               log::get("leases")->warn("release of lease {} not confirmed: {}", lease,
                                        r.error().message);
           });
}

void LeaseManager::step(const std::string& lease, std::int64_t now) {
  auto it = held_.find(lease);
  if (it == held_.end()) return;
  Held& held = it->second;
  const HolderStep s = held.clock.tick(now);
  if (s.stopped) report(ActingChange::Kind::stopped, lease, held, now, held.clock.stop_reason());
  if (s.started) report(ActingChange::Kind::started, lease, held, held.clock.acting_until_ms());
  if (!s.send_renewal || held.renewing || shutting_down_) return;
  held.clock.renewal_sent(now);
  held.renewing = true;
  const std::uint64_t token = held.clock.token();
  std::weak_ptr<LeaseManager*> alive = alive_;
  propose_(LeaseRenew{.id = next_id(),
                      .lease = lease,
                      .holder = options_.node,
                      .token = token,
                      .now_ms = now,
                      .clock = options_.clock},
           [alive, lease, token](Result<std::string> r) {
             if (auto self = alive.lock()) (*self)->renewal_done(lease, token, std::move(r));
           });
}

void LeaseManager::renewal_done(const std::string& lease, std::uint64_t token,
                                Result<std::string> r) {
  auto it = held_.find(lease);
  if (it == held_.end() || it->second.clock.token() != token) return;
  // Close a window that ran out while the renewal was in flight before crediting it, so a
  // late commit opens a new interval instead of bridging the gap.
  const std::int64_t now = now_();
  step(lease, now);
  Held& held = it->second;
  held.renewing = false;
  const std::int64_t before = held.clock.acting_until_ms();
  if (!r) {
    held.clock.renewal_failed(false);
    log::get("leases")->debug("renewal of lease {} failed: {}", lease, r.error().message);
  } else if (ApplyResult applied = decode_result(*r); !applied) {
    held.clock.renewal_failed(refused(applied.error()));
    if (refused(applied.error())) dropped_[lease] = std::max(dropped_[lease], token);
    log::get("leases")->warn("{}", applied.error().message);
  } else {
    held.clock.renewal_committed();
  }
  if (held.acting_from && held.clock.acting_until_ms() > before && held.clock.may_act(now))
    report(ActingChange::Kind::extended, lease, held, held.clock.acting_until_ms());
  step(lease, now);
  it = held_.find(lease);
  if (it != held_.end() && !it->second.clock.holding() && !it->second.acting_from) held_.erase(it);
}

void LeaseManager::report(ActingChange::Kind kind, const std::string& lease, Held& held,
                          std::int64_t until, std::string reason) {
  ActingChange change{.kind = kind,
                      .lease = lease,
                      .token = held.clock.token(),
                      .from_ms = 0,
                      .until_ms = until,
                      .reason = std::move(reason)};
  if (kind == ActingChange::Kind::started) {
    held.acting_from = now_();
    change.from_ms = *held.acting_from;
  } else {
    change.from_ms = held.acting_from.value_or(until);
    if (kind == ActingChange::Kind::stopped) {
      // The window may have closed before we noticed: acting ended at its bound.
      change.until_ms = std::min(until, std::max(change.from_ms, held.clock.acting_until_ms()));
      held.acting_from.reset();
    }
  }
  if (observer_) observer_(change);
}

// ---- queries ----

std::optional<std::int64_t> LeaseManager::next_due_ms() const {
  std::optional<std::int64_t> due;
  auto consider = [&due](std::int64_t t) { due = due ? std::min(*due, t) : t; };
  for (const auto& [lease, until] : waits_) consider(until);
  for (const auto& [lease, held] : held_) {
    if (!held.clock.holding()) continue;
    if (!held.renewing) consider(held.clock.next_renewal_ms());
    if (held.acting_from) consider(held.clock.acting_until_ms());
  }
  return due;
}

bool LeaseManager::may_act(const std::string& lease) const {
  auto it = held_.find(lease);
  return it != held_.end() && it->second.acting_from && it->second.clock.may_act(now_());
}

std::uint64_t LeaseManager::token(const std::string& lease) const {
  auto it = held_.find(lease);
  return it != held_.end() && it->second.clock.holding() ? it->second.clock.token() : 0;
}

nlohmann::json LeaseManager::acting_json(const std::string& lease) const {
  auto it = held_.find(lease);
  if (it == held_.end() || !it->second.clock.holding()) return nullptr;
  const bool may = may_act(lease);
  return nlohmann::json{
      {"may_act", may},
      {"acting_until_in_ms", may ? it->second.clock.acting_until_ms() - now_() : 0},
      {"token", it->second.clock.token()}};
}

void LeaseManager::release_all(std::function<void()> done) {
  shutting_down_ = true;
  const std::int64_t now = now_();
  auto remaining = std::make_shared<std::size_t>(0);
  auto finished = std::make_shared<std::function<void()>>(std::move(done));
  std::vector<std::pair<std::string, std::uint64_t>> releases;
  for (auto& [name, held] : held_) {
    if (!held.clock.holding()) continue;
    releases.emplace_back(name, held.clock.token());
    held.clock.drop("the agent is shutting down");
    dropped_[name] = std::max(dropped_[name], held.clock.token());
  }
  for (const auto& [name, token] : releases) step(name, now);
  if (releases.empty()) {
    if (*finished) (*finished)();
    return;
  }
  *remaining = releases.size();
  for (const auto& [name, token] : releases)
    propose_(LeaseRelease{.id = next_id(),
                          .lease = name,
                          .holder = options_.node,
                          .token = token,
                          .now_ms = now,
                          .clock = options_.clock},
             [remaining, finished, lease = name](Result<std::string> r) {
               if (!r)
                 log::get("leases")->warn("release of lease {} not confirmed: {}", lease,
                                          r.error().message);
               if (--*remaining == 0 && *finished) (*finished)();
             });
}

}  // namespace constellation::consensus
