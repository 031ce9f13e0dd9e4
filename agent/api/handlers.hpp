// The API's route table: one row per route with its summary, whether it mutates, and its
// handler. Handlers are thin: validate (event_params), call the agent through ApiContext,
// shape the JSON. /api/v1/help is generated from this same table.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/api/api_context.hpp"
#include "agent/api/metrics.hpp"
#include "agent/api/routes.hpp"

namespace constellation::api {

/// What the handlers use. `metrics` must outlive every handler (the ApiServer owns both).
struct HandlerDeps {
  ApiContext context;
  std::string node;  ///< this agent's node name, for /health
  Metrics* metrics = nullptr;
};

/// Every route the agent serves: /health, /metrics, /api/v1/{status,events,reload,help}, /ws.
/// The /ws row answers plain GETs with 400 (the session upgrades real WebSocket requests).
std::vector<Route> make_routes(HandlerDeps deps);

/// {"routes":[{"method","path","summary","mutates"}...]} in table order.
nlohmann::json describe_routes(std::span<const Route> routes);

}  // namespace constellation::api
