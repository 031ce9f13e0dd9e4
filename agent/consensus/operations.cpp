// Operator views and request checks over consensus state. Lease times are the granting
// leader's monotonic milliseconds, so "expires in" is only computed on the node whose clock
// wrote the record; everywhere else it is null rather than a guess.
#include "agent/consensus/operations.hpp"

#include <algorithm>
#include <ctime>
#include <set>

#include "agent/consensus/views.hpp"
#include "shared/strings.hpp"

namespace constellation::consensus {
namespace {

using nlohmann::json;

bool is_member(const std::vector<std::string>& members, const std::string& node) {
  return std::find(members.begin(), members.end(), node) != members.end();
}

std::string cordon_text(const Cordon& c) {
  return "cordoned by " + c.actor + " at " + format_unix_ms(c.at_unix_ms) + " because " + c.reason;
}

/// The spec the leader uses for `name`, or a capability-free one with the record's TTL when
/// the lease is not configured here (it was granted under an older configuration).
LeaseSpec spec_for(const std::string& name, const LeaseRecord* record,
                   const std::vector<LeaseSpec>& specs) {
  for (const LeaseSpec& spec : specs)
    if (spec.name == name) return spec;
  return LeaseSpec{.name = name, .capability = "", .ttl_ms = record ? record->ttl_ms : 0};
}

std::string no_holder_reason(const LeaseSpec& spec, const LeaseRecord* record,
                             const LeaseViewContext& context) {
  if (!context.no_leader_reason.empty())
    return "lease " + spec.name + " has no holder and none can be granted without a raft leader: " +
           context.no_leader_reason;
  const LeaderView view{.now_ms = context.now_ms, .leader_since_ms = context.now_ms};
  const LeaderDecision decision = decide(spec, record, context.candidates, view);
  if (decision.action == LeaderAction::grant)
    return decision.reason + "; the raft leader grants it on its next pass";
  return decision.reason;
}

}  // namespace

std::vector<std::string> known_leases(const StateMachine& state,
                                      const std::vector<LeaseSpec>& specs) {
  std::set<std::string> names;
  for (const auto& [name, record] : state.leases()) names.insert(name);
  for (const LeaseSpec& spec : specs) names.insert(spec.name);
  return {names.begin(), names.end()};
}

Result<json> lease_json(const StateMachine& state, const std::string& name,
                        const LeaseViewContext& context) {
  const LeaseRecord* record = state.lease(name);
  const bool configured = std::any_of(context.specs.begin(), context.specs.end(),
                                      [&name](const LeaseSpec& s) { return s.name == name; });
  if (!record && !configured) {
    auto known = known_leases(state, context.specs);
    return fail(ErrorCode::not_found,
                "no lease named '" + name + "'; " +
                    (known.empty() ? std::string("no lease is configured or granted yet")
                                   : "known leases: " + join(known, ", ")));
  }
  const LeaseSpec spec = spec_for(name, record, context.specs);
  json out = record ? lease_record_json(*record)
                    : json{{"name", name},
                           {"holder", nullptr},
                           {"token", 0},
                           {"revision", 0},
                           {"ttl_ms", spec.ttl_ms},
                           {"granted_at_ms", nullptr},
                           {"renewed_at_ms", nullptr},
                           {"clock", nullptr},
                           {"renewals", 0},
                           {"history", json::array()}};
  const bool held = record && !record->holder.empty();
  if (held && !context.clock_id.empty() && record->clock == context.clock_id)
    out["expires_in_ms"] =
        std::max<std::int64_t>(0, record->renewed_at_ms + record->ttl_ms - context.now_ms);
  else
    out["expires_in_ms"] = nullptr;
  out["acting"] = context.acting;
  if (!held) out["no_holder_reason"] = no_holder_reason(spec, record, context);
  return out;
}

json raft_leader_json(const LogStatus& status, const std::string& leader_node) {
  json out = json::object();
  if (status.leader_id == 0) {
    out["leader"] = nullptr;
    out["no_leader_reason"] = no_leader_reason(status);
    return out;
  }
  out["leader"] = json{{"node", leader_node.empty() ? json(nullptr) : json(leader_node)},
                       {"id", status.leader_id},
                       {"address", status.leader_address}};
  return out;
}

void name_raft_nodes(json& status, const std::map<std::uint64_t, std::string>& names) {
  auto name_of = [&names](const json& object) -> json {
    if (!object.is_object() || !object.contains("id") || !object["id"].is_number_unsigned())
      return nullptr;
    auto it = names.find(object["id"].get<std::uint64_t>());
    return it == names.end() ? json(nullptr) : json(it->second);
  };
  if (auto leader = status.find("leader"); leader != status.end() && leader->is_object())
    (*leader)["node"] = name_of(*leader);
  if (auto members = status.find("members"); members != status.end() && members->is_array())
    for (json& member : *members) member["node"] = name_of(member);
}

Status check_cordon(const StateMachine& state, const std::vector<std::string>& members,
                    const std::string& node, const std::string& reason) {
  if (trim(reason).empty())
    return fail(ErrorCode::invalid_argument,
                "cordoning " + node +
                    " needs a reason: --reason is required (say why, e.g. --reason 'disk swap')");
  if (auto it = state.cordons().find(node); it != state.cordons().end())
    return fail(ErrorCode::conflict, "node " + node + " is already " + cordon_text(it->second) +
                                         "; run uncordon first to replace the reason");
  if (!is_member(members, node))
    return fail(ErrorCode::not_found,
                "no node named '" + node + "' in the cluster; known nodes: " +
                    (members.empty() ? std::string("none") : join(members, ", ")));
  return {};
}

Status check_uncordon(const StateMachine& state, const std::vector<std::string>& members,
                      const std::string& node) {
  if (state.cordoned(node)) return {};
  if (!is_member(members, node))
    return fail(ErrorCode::not_found,
                "no node named '" + node + "' in the cluster and no cordon for it; known nodes: " +
                    (members.empty() ? std::string("none") : join(members, ", ")));
  return fail(ErrorCode::conflict, "node " + node + " is not cordoned; nothing to uncordon");
}

std::string format_unix_ms(std::int64_t unix_ms) {
  if (unix_ms <= 0) return "-";
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace constellation::consensus
