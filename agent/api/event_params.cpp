// Query-string and note-body validation for /api/v1/events.
#include "agent/api/event_params.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

#include "shared/duration.hpp"
#include "shared/strings.hpp"

namespace constellation::api {
namespace {

const std::array<std::string, 7> kQueryParameters = {"since",   "since_ms", "until_ms", "kind",
                                                     "subject", "after_id", "limit"};
const std::array<std::string, 3> kNoteFields = {"message", "subject", "kind"};
constexpr std::size_t kMaxShownValue = 100;

std::string shown(std::string_view value) {
  return std::string(value.substr(0, kMaxShownValue)) +
         (value.size() > kMaxShownValue ? "..." : "");
}

Error bad_parameter(std::string_view name, std::string_view value, std::string_view expected) {
  return Error{ErrorCode::invalid_argument, "query parameter " + std::string(name) + "='" +
                                                shown(value) +
                                                "' is invalid: " + std::string(expected)};
}

Result<std::int64_t> parse_non_negative(std::string_view name, std::string_view value) {
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || number < 0)
    return std::unexpected(bad_parameter(name, value, "expected a non-negative integer"));
  return number;
}

std::string unknown_parameter_message(const std::string& name) {
  std::string message = "unknown query parameter '" + shown(name) + "' for /api/v1/events";
  if (auto guess = closest_match(name, kQueryParameters); !guess.empty())
    message += " (did you mean '" + guess + "'?)";
  return message + "; known: " + join(kQueryParameters, ", ");
}

}  // namespace

Result<EventQuery> parse_event_query(const std::map<std::string, std::string>& query,
                                     std::int64_t now_ms) {
  EventQuery result;
  for (const auto& [name, value] : query) {
    if (name == "since") {
      auto duration = parse_duration(value);
      if (!duration)
        return std::unexpected(bad_parameter(name, value, "expected a duration like 90s, 15m, 2h"));
      result.since_ms = now_ms - duration->count();
    } else if (name == "since_ms" || name == "until_ms" || name == "after_id") {
      auto number = parse_non_negative(name, value);
      if (!number) return std::unexpected(number.error());
      (name == "since_ms"   ? result.since_ms
       : name == "until_ms" ? result.until_ms
                            : result.after_id) = *number;
    } else if (name == "limit") {
      auto number = parse_non_negative(name, value);
      if (!number || *number < 1 || *number > kMaxEventQueryLimit)
        return std::unexpected(bad_parameter(
            name, value, "expected an integer from 1 to " + std::to_string(kMaxEventQueryLimit)));
      result.limit = static_cast<int>(*number);
    } else if (name == "kind" || name == "subject") {
      if (value.empty()) return std::unexpected(bad_parameter(name, value, "must not be empty"));
      (name == "kind" ? result.kind : result.subject) = value;
    } else {
      return fail(ErrorCode::invalid_argument, unknown_parameter_message(name));
    }
  }
  if (query.contains("since") && query.contains("since_ms"))
    return fail(ErrorCode::invalid_argument,
                "query parameters since and since_ms were both given; give one of them");
  if (result.since_ms && result.until_ms && *result.until_ms < *result.since_ms)
    return fail(ErrorCode::invalid_argument,
                "query parameter until_ms=" + std::to_string(*result.until_ms) +
                    " is before the start of the range (" + std::to_string(*result.since_ms) +
                    "); swap them or widen the range");
  return result;
}

Result<Event> parse_note(const nlohmann::json& body, std::string actor) {
  if (!body.is_object())
    return fail(ErrorCode::invalid_argument,
                "a note must be a JSON object like {\"message\":\"text\"}, got a " +
                    std::string(body.type_name()));
  for (const auto& [key, value] : body.items()) {
    if (std::find(kNoteFields.begin(), kNoteFields.end(), key) == kNoteFields.end())
      return fail(ErrorCode::invalid_argument,
                  "unknown field '" + shown(key) + "' in note; known: message, subject, kind");
    if (!value.is_string())
      return fail(ErrorCode::invalid_argument, "note field '" + key + "' must be a string, got a " +
                                                   std::string(value.type_name()));
  }
  if (!body.contains("message") || body["message"].get<std::string>().empty())
    return fail(ErrorCode::invalid_argument,
                "a note needs a non-empty \"message\" string, e.g. {\"message\":\"draining db1\"}");
  Event event;
  event.kind = body.value("kind", std::string("note"));
  if (event.kind != "note" && (!event.kind.starts_with("note.") || event.kind.size() == 5))
    return fail(
        ErrorCode::invalid_argument,
        "note kind '" + shown(event.kind) +
            "' is not allowed; use \"note\" or \"note.<something>\" (e.g. note.maintenance)");
  event.subject = body.value("subject", std::string());
  event.detail = {{"message", body["message"]}};
  event.actor = std::move(actor);
  return event;
}

}  // namespace constellation::api
