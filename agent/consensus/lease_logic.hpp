// Lease decisions, as pure functions. The leader side decides who should hold each lease
// and when a grant may move (only after the old one expired as measured by this leader since
// it last saw a renewal commit; a newly elected leader waits a full TTL). The holder side
// decides when to renew (TTL/3) and until when it may act (send time of its last successful
// renewal + TTL − drift margin), and stops when it cannot renew.
//
// Sans-IO: every input is a value (monotonic milliseconds, gossip health, FSM records). No
// clocks, no raft, no threads. Nothing here fails; decisions carry their reason as text.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/consensus/state_machine.hpp"

namespace constellation::consensus {

/// A lease the cluster runs, e.g. {"lb-leader", "lb", 3000}.
struct LeaseSpec {
  std::string name{};
  std::string capability{};  ///< a candidate must have it; empty = any node
  std::int64_t ttl_ms{};
};

/// What gossip and the FSM say about one node.
struct Candidate {
  std::string node{};
  bool healthy{};  ///< alive per gossip
  bool cordoned{};
  int priority{};  ///< lower first
  std::set<std::string> capabilities{};
};

/// Whether `c` may hold a lease of `spec`; if not, why (for "why no holder").
std::optional<std::string> ineligibility(const Candidate& c, const LeaseSpec& spec);
/// The preferred eligible candidate: lowest priority number, then name. nullopt if none.
std::optional<std::string> best_candidate(const std::vector<Candidate>& candidates,
                                          const LeaseSpec& spec);

/// When this leader saw the lease's current revision commit, on its own monotonic clock.
struct Observation {
  std::uint64_t revision{};
  std::int64_t seen_at_ms{};
};

/// The leader's view used for one decision.
struct LeaderView {
  std::int64_t now_ms{};
  std::int64_t leader_since_ms{};         ///< when this node became leader (barrier applied)
  std::optional<Observation> observed{};  ///< nullopt if this leader never saw this revision
};

/// The leader's notebook of when it saw each lease's revision change. A leader starts a
/// fresh one when it is elected (after its barrier) and calls observe() on every apply, so
/// a revision committed under an earlier leader counts from this leader's start.
class LeaseObserver {
 public:
  /// Records `now_ms` for every lease whose revision differs from the last one noted.
  void observe(const std::map<std::string, LeaseRecord>& leases, std::int64_t now_ms);
  std::optional<Observation> get(const std::string& lease) const;

 private:
  std::map<std::string, Observation> seen_;
};

/// The start of the TTL this leader counts for the lease's current revision: the later of
/// its own observation of that revision and its start as leader. A revision it has not seen
/// yet counts from `now`.
std::int64_t expiry_base(const LeaseRecord& record, const LeaderView& view);

enum class LeaderAction {
  keep,    ///< nothing to do (held by an eligible holder, or nothing possible)
  grant,   ///< propose LeaseGrant to `to` (take-over if `expect_revision` is set)
  expire,  ///< propose LeaseExpire: the grant ran out and nobody can take it
  wait,    ///< the holder must be replaced but its grant may still be in force
};

struct LeaderDecision {
  LeaderAction action = LeaderAction::keep;
  std::string to{};                                ///< grant: the new holder
  std::optional<std::uint64_t> expect_revision{};  ///< grant/expire: revision seen expiring
  std::int64_t wait_until_ms{};                    ///< wait: earliest time to decide again
  std::string reason{};                            ///< for logs and `lease show`
};

/// Decides what the leader should do about one lease. `record` is null for a lease never
/// granted.
LeaderDecision decide(const LeaseSpec& spec, const LeaseRecord* record,
                      const std::vector<Candidate>& candidates, const LeaderView& view);

// ---- holder side ----

/// The holder's timing parameters.
struct HolderTiming {
  std::int64_t ttl_ms{};
  std::int64_t drift_margin_ms{};
};

/// Checks that a holder can ever act: 0 < margin and TTL/3 < TTL − margin (renewals must be
/// due before the acting window closes). The error names the values and what to change.
Status validate_timing(const HolderTiming& timing);

/// What the holder must do after a tick.
struct HolderStep {
  bool send_renewal{};  ///< propose LeaseRenew now, then call renewal_sent(now)
  bool started{};       ///< the acting window opened (again): side effects may start
  bool stopped{};       ///< the acting window closed: stop all side effects now
};

/// The holder side of one lease on one node. Acting is allowed only before
/// (send time of the last committed renewal) + TTL − margin. One renewal is in flight at a
/// time: crediting an older renewal with a newer send time would stretch the window past
/// what the leader counts, so the Log must complete every proposal (commit or error).
/// A holder whose window closed keeps renewing and resumes if a renewal commits in time; a
/// refused renewal means the lease moved, and the holder drops it.
class HolderClock {
 public:
  explicit HolderClock(HolderTiming timing) : timing_(timing) {}

  /// The lease was granted to us with `token`. `requested_at_ms` must be a time on this
  /// node's clock no later than the grant's proposal (e.g. when this node asked for it). A
  /// node that merely learns of a grant from the FSM passes now − TTL: no acting window
  /// until its own first renewal, which is due at once.
  void granted(std::uint64_t token, std::int64_t requested_at_ms);
  /// A renewal was proposed at `now_ms`.
  void renewal_sent(std::int64_t now_ms);
  /// The pending renewal committed: the acting window extends from its send time.
  void renewal_committed();
  /// The pending renewal failed. `refused` = the FSM said the lease is not ours any more
  /// (drop it); otherwise (unknown outcome, no quorum) the window is simply not extended.
  void renewal_failed(bool refused);
  /// Stop holding (released, cordoned, shutting down).
  void drop(std::string reason);

  /// What to do at `now_ms`; call it periodically (e.g. every TTL/10).
  HolderStep tick(std::int64_t now_ms);
  /// Whether side effects under this lease are allowed at `now_ms`.
  bool may_act(std::int64_t now_ms) const { return holding_ && now_ms < acting_until_; }
  /// End of the acting window.
  std::int64_t acting_until_ms() const { return acting_until_; }
  /// When the next renewal is due.
  std::int64_t next_renewal_ms() const { return last_success_sent_ + timing_.ttl_ms / 3; }
  bool holding() const { return holding_; }
  bool renewal_pending() const { return pending_sent_.has_value(); }
  std::uint64_t token() const { return token_; }
  /// Why we last stopped acting.
  const std::string& stop_reason() const { return stop_reason_; }

 private:
  HolderTiming timing_;
  bool holding_ = false;
  bool acting_ = false;  // as last reported by tick()
  std::uint64_t token_ = 0;
  std::int64_t last_success_sent_ = 0;
  std::optional<std::int64_t> pending_sent_;
  std::int64_t acting_until_ = 0;
  std::string stop_reason_;
};

}  // namespace constellation::consensus
