// Raft and lease renderers. Lease times in records are the granting leader's monotonic
// milliseconds, meaningless as dates, so they are shown as relative figures ("expires in")
// only where the agent could compute them, and history rows keep the raw clock values.
#include "console/render/consensus.hpp"

#include "console/render/format.hpp"

namespace constellation::console {
namespace {

using nlohmann::json;

std::string or_dash(std::string text) {
  return text.empty() || text == "null" ? "-" : text;
}

std::string field(const json& object, std::string_view key) {
  return or_dash(cell(object, key));
}

std::string leader_text(const json& leader) {
  if (!leader.is_object()) return "none";
  std::string node = cell(leader, "node");
  std::string where = cell(leader, "address");
  std::string id = cell(leader, "id");
  if (!node.empty() && node != "null") return node + " (id " + id + ", " + where + ")";
  return "id " + id + " at " + where;
}

}  // namespace

std::string format_ms(const json& ms) {
  if (!ms.is_number()) return "-";
  const auto value = ms.get<std::int64_t>();
  if (value < 1000 && value > -1000) return std::to_string(value) + "ms";
  const std::int64_t tenths = value / 100;
  return std::to_string(tenths / 10) + "." + std::to_string((tenths < 0 ? -tenths : tenths) % 10) +
         "s";
}

std::string render_raft_status(const json& s) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"id", field(s, "id")},
      {"address", field(s, "address")},
      {"role", field(s, "role") + (s.value("ready", false) ? " (ready)" : "")},
      {"term", field(s, "term")},
      {"leader", leader_text(s.value("leader", json(nullptr)))},
      {"commit index", field(s, "commit_index")},
      {"last applied", field(s, "last_applied")},
      {"last index", field(s, "last_index")},
  };
  if (s.contains("no_leader_reason"))
    fields.push_back({"why no leader", field(s, "no_leader_reason")});
  std::string text = render_fields(fields);
  Table members{.columns = {"NODE", "ID", "ADDRESS", "VOTER"}, .rows = {}};
  const std::string self = cell(s, "id");
  for (const auto& m : s.value("members", json::array()))
    members.rows.push_back({field(m, "node") + (cell(m, "id") == self ? " (this node)" : ""),
                            field(m, "id"), field(m, "address"),
                            m.value("voter", false) ? "voter" : "standby"});
  text += '\n';
  text += members.rows.empty() ? "no raft members configured\n" : render_table(members);
  return text;
}

std::string render_leases(const json& document) {
  std::string text;
  Table leases{.columns = {"LEASE", "HOLDER", "TOKEN", "TTL", "RENEWALS", "REVISION"}, .rows = {}};
  for (const auto& l : document.value("leases", json::array()))
    leases.rows.push_back({field(l, "name"), field(l, "holder"), field(l, "token"),
                           format_ms(l.value("ttl_ms", json(nullptr))), field(l, "renewals"),
                           field(l, "revision")});
  text += leases.rows.empty() ? "no lease has been granted yet\n" : render_table(leases);
  text += '\n';
  Table cordons{.columns = {"CORDONED", "REASON", "BY", "SINCE"}, .rows = {}};
  for (const auto& c : document.value("cordons", json::array()))
    cordons.rows.push_back({field(c, "node"), field(c, "reason"), field(c, "actor"),
                            format_time_ms(c.value("at_unix_ms", std::int64_t{0}))});
  text += cordons.rows.empty() ? "no node is cordoned\n" : render_table(cordons);
  return text;
}

std::string render_lease(const json& l) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"lease", field(l, "name")},
      {"holder", field(l, "holder")},
      {"token", field(l, "token")},
      {"revision", field(l, "revision")},
      {"ttl", format_ms(l.value("ttl_ms", json(nullptr)))},
      {"expires in", l.value("expires_in_ms", json(nullptr)).is_number()
                         ? format_ms(l["expires_in_ms"])
                         : "- (known only on the granting leader)"},
      {"renewals", field(l, "renewals")},
      {"granted at", l.value("granted_at_ms", json(nullptr)).is_number()
                         ? field(l, "granted_at_ms") + " ms on clock " + field(l, "clock")
                         : "-"},
  };
  const json acting = l.value("acting", json(nullptr));
  if (acting.is_object())
    fields.push_back({"this node", acting.value("may_act", false)
                                       ? "acting for " + format_ms(acting.value(
                                                             "acting_until_in_ms", json(nullptr)))
                                       : "holds it but may not act"});
  if (l.contains("no_holder_reason"))
    fields.push_back({"why no holder", field(l, "no_holder_reason")});
  std::string text = render_fields(fields);
  Table history{.columns = {"EVENT", "HOLDER", "TOKEN", "AT (MS)", "CLOCK"}, .rows = {}};
  for (const auto& e : l.value("history", json::array()))
    history.rows.push_back({field(e, "kind"), field(e, "holder"), field(e, "token"),
                            field(e, "at_ms"), field(e, "clock")});
  text += '\n';
  text += history.rows.empty() ? "no history yet\n" : render_table(history);
  return text;
}

}  // namespace constellation::console
