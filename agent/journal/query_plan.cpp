// EventQuery -> SQL. Kind prefixes become a range (kind >= 'a.' AND kind < 'a/') so the
// (kind, time_ms) index still serves them; LIKE would not, and would treat '_' as a wildcard.
#include "agent/journal/query_plan.hpp"

#include <algorithm>

namespace constellation::journal {

QueryPlan plan_query(const EventQuery& query) {
  QueryPlan plan;
  std::vector<std::string> where;
  auto param = [&plan](auto value) {
    plan.params.emplace_back(std::move(value));
    return "?" + std::to_string(plan.params.size());
  };
  if (query.since_ms) where.push_back("time_ms >= " + param(*query.since_ms));
  if (query.until_ms) where.push_back("time_ms <= " + param(*query.until_ms));
  if (query.kind) {
    const std::string& kind = *query.kind;
    if (!kind.empty() && kind.back() == '.') {
      std::string upper = kind;
      upper.back() = '.' + 1;  // the first string after every "kind.*"
      where.push_back("kind >= " + param(kind) + " AND kind < " + param(upper));
    } else {
      where.push_back("kind = " + param(kind));
    }
  }
  if (query.subject) where.push_back("subject = " + param(*query.subject));
  if (query.after_id) where.push_back("id > " + param(*query.after_id));

  plan.limit = std::clamp(query.limit, 0, kMaxEventQueryLimit);
  plan.newest_first = !query.since_ms && !query.after_id;

  plan.sql = "SELECT id, time_ms, node, kind, subject, detail, actor FROM events";
  for (std::size_t i = 0; i < where.size(); ++i)
    plan.sql += (i == 0 ? " WHERE " : " AND ") + where[i];
  plan.sql += plan.newest_first ? " ORDER BY id DESC" : " ORDER BY id ASC";
  plan.sql += " LIMIT " + param(std::int64_t{plan.limit});
  return plan;
}

}  // namespace constellation::journal
