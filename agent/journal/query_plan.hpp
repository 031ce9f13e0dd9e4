// Turns an EventQuery into one SQL statement and its parameters, without touching SQLite, so
// the filter and limit rules can be read (and tested) in one place.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "shared/event.hpp"

namespace constellation::journal {

/// The statement for one query. Parameters bind to ?1, ?2... in order; the LIMIT is last.
struct QueryPlan {
  std::string sql;
  std::vector<std::variant<std::int64_t, std::string>> params;
  /// True when rows come back newest first and must be reversed to give oldest first.
  bool newest_first = false;
  int limit = 0;  ///< after clamping to [0, kMaxEventQueryLimit]
};

/// Limit rule: with a lower bound (since_ms or after_id) the query pages forward and returns
/// the oldest `limit` matches after it; without one it returns the newest `limit` matches
/// (the tail). Either way results are oldest first. A kind ending in '.' is a prefix.
QueryPlan plan_query(const EventQuery& query);

}  // namespace constellation::journal
