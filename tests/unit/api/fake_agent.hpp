// A fake agent behind the ApiContext: an in-memory journal, a scripted health and reload,
// and records of what the API asked for. Lets the API be tested without the real agent.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/api/api_context.hpp"

namespace constellation::api::testing {

/// An unstored event of `kind`.
inline Event make_event(std::string kind, std::string subject = "") {
  Event event;
  event.kind = std::move(kind);
  event.subject = std::move(subject);
  event.actor = "agent";
  return event;
}

struct FakeAgent {
  std::vector<Event> journal;            ///< stored events, ids 1..n
  std::vector<std::string> problems;     ///< health problems to report
  std::optional<EventQuery> last_query;  ///< the last query the API ran
  std::optional<Error> publish_error;    ///< when set, publish fails with it
  Result<nlohmann::json> reload_result =
      nlohmann::json{{"changed", {"log_level"}}, {"restart_required", {"api"}}};
  int reloads = 0;
  /// The gossip member document; unset means gossip is not running (no callables installed).
  std::optional<nlohmann::json> members;
  std::vector<std::vector<std::string>> joins;  ///< address lists the API asked to join
  std::vector<std::string> force_left;          ///< nodes the API asked to force-leave
  int leaves = 0;                               ///< leave requests
  /// When set, completions are posted here (as the real agent does) instead of run inline.
  asio::any_io_executor post_to;
  /// Called with each stored event (the server test broadcasts it to the hub).
  std::function<void(const Event&)> on_stored;

  ApiContext context() {
    ApiContext context;
    context.status = [this] {
      return nlohmann::json{{"node", "alpha"}, {"events", journal.size()}};
    };
    context.health_problems = [this] { return problems; };
    context.query_events = [this](EventQuery query) -> asio::awaitable<Result<std::vector<Event>>> {
      last_query = query;
      std::vector<Event> matches;
      for (const auto& event : journal)
        if (!query.kind || event.kind == *query.kind) matches.push_back(event);
      if (matches.size() > static_cast<std::size_t>(query.limit))
        matches.erase(matches.begin(), matches.end() - query.limit);
      co_return matches;
    };
    context.publish = [this](Event event, std::function<void(Result<Event>)> done) {
      Result<Event> result = publish_error ? Result<Event>(std::unexpected(*publish_error))
                                           : Result<Event>(store(std::move(event)));
      if (post_to)
        asio::post(post_to, [done, result] { done(result); });
      else
        done(result);
    };
    context.reload = [this] {
      ++reloads;
      return reload_result;
    };
    if (members) {
      context.members = [this]() -> Result<nlohmann::json> { return *members; };
      context.join =
          [this](std::vector<std::string> addresses) -> Result<std::vector<std::string>> {
        joins.push_back(addresses);
        return addresses;
      };
      // Nodes are the members; services are one "web" instance on each of them.
      context.nodes = [this]() -> Result<nlohmann::json> {
        return nlohmann::json{{"nodes", (*members)["members"]}};
      };
      context.node = [this](const std::string& name) -> Result<nlohmann::json> {
        for (const auto& member : (*members)["members"])
          if (member["name"] == name) return member;
        return fail(ErrorCode::not_found, "no node named '" + name + "'");
      };
      context.services = [this]() -> Result<nlohmann::json> {
        return nlohmann::json{{"services", {{{"service", "web"}}}}};
      };
      context.service = [](const std::string& name) -> Result<nlohmann::json> {
        if (name != "web") return fail(ErrorCode::not_found, "no service named '" + name + "'");
        return nlohmann::json{{"service", "web"}, {"instances", nlohmann::json::array()}};
      };
      context.leave = [this]() -> Status {
        ++leaves;
        return {};
      };
      context.force_leave = [this](const std::string& name) -> Status {
        if (name == "alpha") return fail(ErrorCode::conflict, "'alpha' is alive");
        force_left.push_back(name);
        return {};
      };
    }
    return context;
  }

  Event store(Event event) {
    event.id = static_cast<std::int64_t>(journal.size()) + 1;
    event.node = "alpha";
    if (event.time_ms == 0) event.time_ms = 1'700'000'000'000 + event.id;
    journal.push_back(event);
    if (on_stored) on_stored(event);
    return event;
  }
};

}  // namespace constellation::api::testing
