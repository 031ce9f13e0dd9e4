// Rendering of consensus state for the API. Times in lease records are the granting
// leader's monotonic milliseconds, so they are shown as such (with the clock they came from),
// never converted to wall time.
#include "agent/consensus/views.hpp"

namespace constellation::consensus {

using nlohmann::json;

std::string_view role_name(Role role) {
  switch (role) {
    case Role::unavailable:
      return "unavailable";
    case Role::follower:
      return "follower";
    case Role::candidate:
      return "candidate";
    case Role::leader:
      return "leader";
  }
  return "unavailable";
}

std::string_view server_role_name(ServerRole role) {
  switch (role) {
    case ServerRole::voter:
      return "voter";
    case ServerRole::standby:
      return "standby";
    case ServerRole::spare:
      return "spare";
  }
  return "spare";
}

std::string no_leader_reason(const LogStatus& s) {
  if (s.leader_id != 0) return "";
  std::size_t voters = 0;
  for (const Member& m : s.members) voters += m.voter ? 1 : 0;
  if (s.role == Role::unavailable) return "raft is starting or stopped on this node";
  if (voters == 0)
    return "this node has no raft configuration yet: it waits to be added by the leader "
           "(or start the first node with --bootstrap)";
  const std::size_t quorum = voters / 2 + 1;
  return "no leader is known (term " + std::to_string(s.term) + ", this node is " +
         std::string(role_name(s.role)) + "): an election is under way, or fewer than " +
         std::to_string(quorum) + " of the " + std::to_string(voters) +
         " voters can reach each other";
}

json raft_status_json(const LogStatus& s) {
  json members = json::array();
  for (const Member& m : s.members)
    members.push_back({{"id", m.id},
                       {"address", m.address},
                       {"voter", m.voter},
                       {"role", server_role_name(m.role)}});
  json out{{"id", s.id},
           {"address", s.address},
           {"role", role_name(s.role)},
           {"ready", s.ready},
           {"term", s.term},
           {"leader", s.leader_id == 0 ? json(nullptr)
                                       : json{{"id", s.leader_id}, {"address", s.leader_address}}},
           {"commit_index", s.commit_index},
           {"last_applied", s.last_applied},
           {"last_index", s.last_index},
           {"members", members}};
  if (auto why = no_leader_reason(s); !why.empty()) out["no_leader_reason"] = why;
  return out;
}

json lease_record_json(const LeaseRecord& r) {
  json history = json::array();
  for (const LeaseEvent& e : r.history)
    history.push_back({{"kind", e.kind},
                       {"holder", e.holder},
                       {"token", e.token},
                       {"at_ms", e.at_ms},
                       {"clock", e.clock}});
  return {{"name", r.name},
          {"holder", r.holder.empty() ? json(nullptr) : json(r.holder)},
          {"token", r.token},
          {"revision", r.revision},
          {"ttl_ms", r.ttl_ms},
          {"granted_at_ms", r.granted_at_ms},
          {"renewed_at_ms", r.renewed_at_ms},
          {"clock", r.clock},
          {"renewals", r.renewals},
          {"history", history}};
}

json leases_json(const StateMachine& state) {
  json leases = json::array();
  for (const auto& [name, r] : state.leases()) leases.push_back(lease_record_json(r));
  json cordons = json::array();
  for (const auto& [node, c] : state.cordons())
    cordons.push_back(
        {{"node", node}, {"reason", c.reason}, {"actor", c.actor}, {"at_unix_ms", c.at_unix_ms}});
  return {{"leases", leases}, {"cordons", cordons}, {"config_version", state.config().version}};
}

}  // namespace constellation::consensus
