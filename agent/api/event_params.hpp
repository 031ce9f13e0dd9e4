// Validation of what clients send to /api/v1/events: the query string of GET and the note
// body of POST. Pure functions, so every rejection (and its message naming the parameter and
// the value) is unit-tested and fuzzed without sockets.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "shared/error.hpp"
#include "shared/event.hpp"

namespace constellation::api {

/// Parses GET /api/v1/events parameters: since (a duration back from `now_ms`), since_ms,
/// until_ms, kind, subject, after_id, limit (1..kMaxEventQueryLimit, default 100). A bad value
/// or an unknown parameter is invalid_argument naming the parameter and the value.
Result<EventQuery> parse_event_query(const std::map<std::string, std::string>& query,
                                     std::int64_t now_ms);

/// Turns a POST /api/v1/events body {"message", "subject"?, "kind"?} into an operator note
/// (kind "note" or "note.<x>", detail {"message": ...}). `actor` is set by the caller; node,
/// time and id are filled in by the journal. Unknown fields are refused, naming them.
Result<Event> parse_note(const nlohmann::json& body, std::string actor);

}  // namespace constellation::api
