// Reading a running test agent's API: its JSON documents, member states and journal, as the
// gossip and cluster tests poll them. Every function answers "nothing" (null, "", 0, false)
// while the agent is not answering, so eventually() can keep polling.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/harness/process.hpp"

namespace constellation::testing {

/// GET `path` on the agent's unix socket: the JSON body of a 200, else null.
nlohmann::json get_json(const Agent& agent, const std::string& path);
/// The "members" array of /api/v1/members (empty when unavailable).
nlohmann::json members_of(const Agent& agent);
/// `name`'s state in the agent's member list, "" when not listed.
std::string member_state(const Agent& agent, const std::string& name);
/// Members the agent lists alive.
std::size_t alive_count(const Agent& agent);
/// Whether the agent journaled an event of `kind` about `subject`.
bool journaled(const Agent& agent, const std::string& kind, const std::string& subject);
/// The incarnation the agent holds for `name`, nullopt when not listed.
std::optional<std::uint64_t> incarnation_of(const Agent& agent, const std::string& name);
/// The sum of constellation_gossip_dropped_total over every reason; nullopt when /metrics
/// does not answer.
std::optional<std::uint64_t> gossip_drops(const Agent& agent);
/// Whether GET /health answers 200 on the unix socket.
bool api_answers(const Agent& agent);

}  // namespace constellation::testing
