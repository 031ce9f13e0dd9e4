// Consensus state for people: `raft status` (role, term, leader, members, and why there is no
// leader), `leases` (one row per lease plus the cordons) and `lease show` (one lease with its
// holder view, why it has no holder, and its history). Pure: API JSON in, text out, so the
// CLI, the shell and golden tests share them. Missing fields show as "-" (older agents).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "console/command/output.hpp"

namespace constellation::console {

/// GET /api/v1/raft/status as fields and a member table, ending with a newline.
std::string render_raft_status(const nlohmann::json& status);
/// GET /api/v1/leases as a lease table, then a cordon table (or "no node is cordoned").
std::string render_leases(const nlohmann::json& leases);
/// GET /api/v1/leases/{name} as fields and a history table.
std::string render_lease(const nlohmann::json& lease);
/// A millisecond count as "2.5s", "850ms", "-" for null.
std::string format_ms(const nlohmann::json& ms);

}  // namespace constellation::console
