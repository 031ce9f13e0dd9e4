// The replicated state machine: named leases with fencing tokens, cordons and one cluster
// configuration record. Every replica applies the same committed commands in the same order
// and so reaches the same state; snapshots move that state whole.
//
// Sans-IO: no clocks, no raft, no threads. Lease times are the proposing leader's monotonic
// milliseconds, stored with the id of the clock they came from; the FSM only compares times
// read from the same clock. Idempotent: each command carries a unique id, and a replay of a
// recent id returns the first result without changing anything.
// Ownership: owns its state. Threading: one thread (the consensus engine's). Failure: a
// refused command is an Error in the result (same on every replica), never an exception.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/consensus/applier.hpp"
#include "agent/consensus/commands.hpp"
#include "shared/error.hpp"

namespace constellation::consensus {

/// Commands whose ids (and results) are remembered for replay detection.
inline constexpr std::size_t kRememberedCommands = 1024;
/// History events kept per lease.
inline constexpr std::size_t kLeaseHistory = 32;

/// One change in a lease's life, for `lease show`.
struct LeaseEvent {
  std::string kind{};    ///< granted, taken_over, released, expired
  std::string holder{};  ///< holder after a grant, holder before otherwise
  std::uint64_t token{};
  std::int64_t at_ms{};  ///< proposer's monotonic time
  std::string clock{};
};

/// A named lease. holder empty = free.
struct LeaseRecord {
  std::string name{};
  std::string holder{};
  std::uint64_t token{};     ///< fencing token; grows with every grant
  std::uint64_t revision{};  ///< grows with every change, renewals included
  std::int64_t ttl_ms{};
  std::int64_t granted_at_ms{};
  std::int64_t renewed_at_ms{};  ///< proposer's monotonic time of the last grant/renewal
  std::string clock{};           ///< clock that renewed_at_ms was read from
  std::uint64_t renewals{};      ///< renewals under the current token
  std::vector<LeaseEvent> history{};
};

struct Cordon {
  std::string node{};
  std::string reason{};
  std::string actor{};
  std::int64_t at_unix_ms{};
};

struct ConfigRecord {
  std::uint64_t version{};
  nlohmann::json values = nlohmann::json::object();
};

/// What an accepted command did.
struct Applied {
  std::string op{};
  std::string summary{};  ///< one line for logs and the operator
  std::uint64_t token{};  ///< lease ops: the token now in force
  std::uint64_t revision{};
  bool duplicate{};        ///< a replay of an already applied id; nothing changed
  std::string previous{};  ///< lease ops: the holder before this command ("" if none)
};
using ApplyResult = Result<Applied>;

/// Text form of a result (what crosses consensus::Log) and back.
std::string encode_result(const ApplyResult& result);
ApplyResult decode_result(std::string_view text);

class StateMachine final : public Applier {
 public:
  /// Applies a decoded command.
  ApplyResult apply_command(const Command& command);
  /// Applier: decodes (padding ignored), applies, and encodes the result.
  std::string apply(std::string_view bytes) override;
  std::string snapshot() const override;
  Status restore(std::string_view snapshot) override;

  const std::map<std::string, LeaseRecord>& leases() const { return leases_; }
  const LeaseRecord* lease(const std::string& name) const;
  const std::map<std::string, Cordon>& cordons() const { return cordons_; }
  bool cordoned(const std::string& node) const { return cordons_.contains(node); }
  const ConfigRecord& config() const { return config_; }
  /// The first result of a remembered command id (what a proposer whose outcome was unknown
  /// re-reads).
  std::optional<ApplyResult> result_of(const std::string& id) const;
  /// Commands applied (duplicates and refusals included).
  std::uint64_t applied_count() const { return applied_; }

 private:
  ApplyResult grant(const LeaseGrant& c);
  ApplyResult renew(const LeaseRenew& c);
  ApplyResult release(const LeaseRelease& c);
  ApplyResult expire(const LeaseExpire& c);
  ApplyResult cordon(const CordonNode& c);
  ApplyResult uncordon(const UncordonNode& c);
  ApplyResult set_config(const SetConfig& c);
  void remember(const std::string& id, const ApplyResult& result);
  static void record(LeaseRecord& lease, LeaseEvent event);

  std::map<std::string, LeaseRecord> leases_;
  std::map<std::string, Cordon> cordons_;
  ConfigRecord config_;
  std::deque<std::string> recent_order_;
  std::unordered_map<std::string, std::string> recent_;  // id -> encoded result
  std::uint64_t applied_ = 0;
};

}  // namespace constellation::consensus
