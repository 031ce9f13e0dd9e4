// JSON views of consensus state for the API: /api/v1/raft/status (with a "why is there no
// leader" explanation when that is the case) and /api/v1/leases. Pure functions of values
// the agent already holds on its loop thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "agent/consensus/log.hpp"
#include "agent/consensus/state_machine.hpp"

namespace constellation::consensus {

/// Why this node sees no leader, or "" when it sees one.
std::string no_leader_reason(const LogStatus& status);
/// {"id","address","role","ready","term","leader":{id,address}|null,"commit_index",
///  "last_applied","last_index","members":[...],"no_leader_reason"?}
nlohmann::json raft_status_json(const LogStatus& status);
/// {name,holder|null,token,revision,ttl_ms,granted_at_ms,renewed_at_ms,clock,renewals,
///  history:[{kind,holder,token,at_ms,clock}]} of one lease record.
nlohmann::json lease_record_json(const LeaseRecord& record);
/// {"leases":[{name,holder,token,revision,ttl_ms,renewals,history}],"cordons":[...],
///  "config_version"} from a replica's state machine.
nlohmann::json leases_json(const StateMachine& state);

}  // namespace constellation::consensus
