// LeaseManager: the lease engine of one node, on top of the pure rules in lease_logic. As
// raft leader it grants, expires and hands over leases with decide(); as a holder it renews
// at TTL/3 with a HolderClock, acts only inside its window, drops a lease that moved and
// releases one when cordoned or shutting down. Every proposal goes through one injected
// function (NodeAgent::propose in the agent), so this runs without raft in tests.
//
// Ownership: owns its leader notebook and holder clocks; borrows nothing between calls (the
// replica is passed in on every update()). Threading: one thread (the agent's loop); the
// propose callbacks must complete on it. Failure: a failed proposal is never retried blindly:
// the next update() decides again from the replica. Proposal callbacks that arrive after the
// manager is destroyed are ignored.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/consensus/commands.hpp"
#include "agent/consensus/lease_logic.hpp"
#include "agent/consensus/log.hpp"
#include "agent/consensus/state_machine.hpp"
#include "shared/error.hpp"

namespace constellation::consensus {

/// What the engine looks at on one update.
struct LeaseInputs {
  const StateMachine* replica = nullptr;  ///< this node's copy of the replicated state
  std::vector<Candidate> candidates{};    ///< from gossip, cordons applied
  Role role = Role::unavailable;
  bool ready{};  ///< leader whose post-election barrier applied
  std::uint64_t term{};
};

/// A change of this node's acting state under one lease: what the history log and the
/// journal record.
struct ActingChange {
  enum class Kind { started, extended, stopped };
  Kind kind = Kind::started;
  std::string lease{};
  std::uint64_t token{};
  std::int64_t from_ms{};   ///< start of the acting interval (monotonic ms)
  std::int64_t until_ms{};  ///< started/extended: the window's end; stopped: when it ended
  std::string reason{};     ///< stopped: why
};

struct LeaseManagerOptions {
  std::string node{};   ///< this node's name (holder field of its leases)
  std::string clock{};  ///< id of the monotonic clock `now` reads, stamped into commands
  std::vector<LeaseSpec> leases{};
  std::int64_t drift_margin_ms{};  ///< 0 = a tenth of each lease's TTL
};

class LeaseManager {
 public:
  using ProposeDone = std::function<void(Result<std::string>)>;
  using ProposeFn = std::function<void(Command, ProposeDone)>;
  using NowFn = std::function<std::int64_t()>;
  using ActingObserver = std::function<void(const ActingChange&)>;

  /// `now` is a monotonic millisecond clock; `observer` hears every acting change before
  /// may_act() reflects it.
  LeaseManager(LeaseManagerOptions options, NowFn now, ProposeFn propose, ActingObserver observer);
  ~LeaseManager();
  LeaseManager(const LeaseManager&) = delete;
  LeaseManager& operator=(const LeaseManager&) = delete;

  /// Runs the leader side (when leader and ready) and the holder side. Call it every
  /// tick_period_ms() and whenever the replica applied something.
  void update(const LeaseInputs& inputs);
  /// Whether this node may act under `lease` now: it holds it and its window is open.
  bool may_act(const std::string& lease) const;
  /// The fencing token this node holds `lease` with, 0 if none.
  std::uint64_t token(const std::string& lease) const;
  /// {"may_act","acting_until_in_ms","token"} when this node holds `lease`, else null.
  nlohmann::json acting_json(const std::string& lease) const;
  /// The leader side's last explanation for `lease` ("" when not leading).
  std::string leader_reason(const std::string& lease) const;
  /// The period update() should run at: a tenth of the shortest TTL.
  std::int64_t tick_period_ms() const;
  /// The earliest monotonic time something is due (a renewal, a window's end, a grant this
  /// leader waits for), so the owner can update then rather than up to a tick later.
  std::optional<std::int64_t> next_due_ms() const;
  /// Stops acting under every lease held, proposes their release, and calls `done` once all
  /// the releases completed (at once if nothing is held). Later updates hold nothing.
  void release_all(std::function<void()> done);

 private:
  struct Held {
    HolderClock clock;
    std::optional<std::int64_t> acting_from{};
    bool renewing{};  // a LeaseRenew is in flight
  };

  void lead(const LeaseInputs& in, std::int64_t now);
  void propose_decision(const LeaseSpec& spec, const LeaderDecision& d, std::int64_t now);
  void hold(const LeaseInputs& in, std::int64_t now);
  void adopt(const std::string& lease, const LeaseRecord& record, std::int64_t now);
  void drop(const std::string& lease, const std::string& reason, bool release);
  /// Ticks one holder clock and reports the acting changes; sends a renewal when due.
  void step(const std::string& lease, std::int64_t now);
  void renewal_done(const std::string& lease, std::uint64_t token, Result<std::string> r);
  void report(ActingChange::Kind kind, const std::string& lease, Held& held, std::int64_t until,
              std::string reason = {});
  std::int64_t margin_for(std::int64_t ttl_ms) const;
  std::string next_id();

  LeaseManagerOptions options_;
  NowFn now_;
  ProposeFn propose_;
  ActingObserver observer_;
  std::shared_ptr<LeaseManager*> alive_;  // callbacks hold a weak_ptr

  // Leader side.
  struct Leading {
    std::uint64_t term{};
    std::int64_t since_ms{};
    LeaseObserver observer{};
  };
  std::optional<Leading> leading_;
  std::set<std::string> in_flight_;  // leases with a grant/expire outstanding
  std::map<std::string, std::string> reasons_;
  std::map<std::string, std::int64_t> waits_;
  std::map<std::string, LeaderAction> logged_;  // last decision kind logged per lease  // lease ->
                                                // when decide() may change its mind
  /// Grants this node proposed to itself: token -> request time, for its first window.
  std::map<std::string, std::pair<std::uint64_t, std::int64_t>> self_grants_;

  // Holder side.
  std::map<std::string, Held> held_;
  std::map<std::string, std::uint64_t> dropped_;  // lease -> token given up; never re-adopted
  bool shutting_down_ = false;
  std::uint64_t ids_ = 0;
};

}  // namespace constellation::consensus
