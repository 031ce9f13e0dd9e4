// The operator's view of consensus: one lease in detail (with "why is there no holder"), the
// raft leader by node name, and the checks a cordon or uncordon request must pass before it
// is proposed (so an operator hears "no such node" instead of a cordon of a typo).
//
// Pure functions of values the agent holds on its loop thread: no clocks, no raft, no I/O.
// Failure: the checks return Errors whose codes map to 400/404/409 and whose messages name
// the input and what to do.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/consensus/lease_logic.hpp"
#include "agent/consensus/log.hpp"
#include "agent/consensus/state_machine.hpp"
#include "shared/error.hpp"

namespace constellation::consensus {

/// What `lease show` needs besides the replicated record.
struct LeaseViewContext {
  std::string clock_id{};  ///< this node's lease clock: expires_in_ms only for records on it
  std::int64_t now_ms{};   ///< this node's monotonic time on that clock
  std::vector<Candidate> candidates{};
  std::vector<LeaseSpec> specs{};   ///< configured leases (may be empty)
  nlohmann::json acting = nullptr;  ///< node-local holder view, or null
  std::string no_leader_reason{};   ///< non-empty when this node knows no raft leader
};

/// Every lease name the operator may ask about: configured ones and any the FSM holds.
std::vector<std::string> known_leases(const StateMachine& state,
                                      const std::vector<LeaseSpec>& specs);

/// {"name","holder"|null,"token","revision","ttl_ms","expires_in_ms"|null,"renewals",
///  "granted_at_ms","clock","history":[...],"acting","no_holder_reason"?}. not_found (listing
/// the known leases) for a name that is neither configured nor ever granted.
Result<nlohmann::json> lease_json(const StateMachine& state, const std::string& name,
                                  const LeaseViewContext& context);

/// {"leader":{"node","id","address"}|null,"no_leader_reason"?}. `leader_node` is the gossip
/// name whose raft id is the leader's ("" when no member matches).
nlohmann::json raft_leader_json(const LogStatus& status, const std::string& leader_node);

/// Adds "node" (the gossip name, or null) to the leader and to each member of a
/// raft_status_json document.
void name_raft_nodes(nlohmann::json& status, const std::map<std::uint64_t, std::string>& names);

/// Refuses a cordon that cannot apply: empty reason (invalid_argument: --reason is
/// required), a node that is neither a gossip member nor already cordoned (not_found), a node
/// already cordoned (conflict naming that cordon's reason, actor and time).
Status check_cordon(const StateMachine& state, const std::vector<std::string>& members,
                    const std::string& node, const std::string& reason);
/// Refuses an uncordon of a node that is not cordoned (conflict; not_found when the node is
/// not even a member).
Status check_uncordon(const StateMachine& state, const std::vector<std::string>& members,
                      const std::string& node);

/// Wall-clock milliseconds as "2026-11-25T01:17:52Z" (for messages; "-" for 0).
std::string format_unix_ms(std::int64_t unix_ms);

}  // namespace constellation::consensus
