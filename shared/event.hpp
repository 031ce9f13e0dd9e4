// The journal's event record and the query over it: written by the agent, stored in SQLite,
// served by /api/v1/events and streamed over /ws, rendered by the console.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "shared/error.hpp"

namespace constellation {

/// One thing that happened in the cluster. `id` is the journal's row id (0 before it is
/// stored); `time_ms` is wall-clock milliseconds since the Unix epoch, for humans only.
struct Event {
  std::int64_t id = 0;
  std::int64_t time_ms = 0;
  std::string node{};     ///< node the event happened on or was recorded by
  std::string kind{};     ///< dotted kind, e.g. "agent.started", "config.reloaded", "note"
  std::string subject{};  ///< what it is about (node, service, lease name), may be empty
  nlohmann::json detail = nlohmann::json::object();
  std::string actor{};  ///< who caused it: "agent", "api:unix", "api:tcp:1.2.3.4", ...
};

nlohmann::json to_json(const Event& event);
/// Parses an event from JSON; missing optional fields take their defaults.
Result<Event> event_from_json(const nlohmann::json& json);

/// A journal query. Times are wall-clock ms; unset bounds are open.
struct EventQuery {
  std::optional<std::int64_t> since_ms{};
  std::optional<std::int64_t> until_ms{};
  std::optional<std::string> kind{};  ///< exact kind, or a prefix ending in '.' ("agent.")
  std::optional<std::string> subject{};
  std::optional<std::int64_t> after_id{};  ///< only events with id > after_id
  int limit = 100;                         ///< newest `limit` matches, returned oldest first
};

inline constexpr int kMaxEventQueryLimit = 10000;

/// Current wall-clock time in ms since the epoch.
std::int64_t now_ms();

}  // namespace constellation
