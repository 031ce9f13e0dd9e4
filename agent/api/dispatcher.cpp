// Dispatch: target parsing, route matching, auth, handler invocation and request metrics.
#include "agent/api/dispatcher.hpp"

#include "shared/log.hpp"
#include "shared/strings.hpp"

namespace constellation::api {
namespace {
constexpr std::string_view kRequests = "constellation_api_requests_total";
constexpr std::string_view kDuration = "constellation_api_request_duration_seconds";
}  // namespace

Dispatcher::Dispatcher(std::vector<Route> routes, Auth auth, Metrics& metrics)
    : router_(std::move(routes)), auth_(std::move(auth)), metrics_(metrics) {
  (void)metrics_.describe(std::string(kRequests), MetricType::counter,
                          "API requests answered, by route pattern and HTTP status");
  (void)metrics_.describe(std::string(kDuration), MetricType::histogram,
                          "Time to answer an API request in seconds, by route pattern");
}

std::expected<const Route*, Response> Dispatcher::resolve(Request& request) const {
  if (auto parsed = parse_target(request.target, request); !parsed)
    return std::unexpected(error_response(parsed.error()));
  auto match = router_.match(request.method, request.path);
  if (!match.route) {
    if (match.allowed.empty())
      return std::unexpected(error_response(route_not_found(request.method, request.path)));
    auto response = error_response(method_not_allowed(request.method, request.path, match.allowed));
    response.extra_headers.emplace_back("Allow", join(match.allowed, ", "));
    return std::unexpected(std::move(response));
  }
  if (auto allowed = auth_.check(request, match.route->mutates); !allowed)
    return std::unexpected(error_response(allowed.error()));
  request.path_params = std::move(match.params);
  return match.route;
}

asio::awaitable<Response> Dispatcher::dispatch(Request request) {
  const auto started = std::chrono::steady_clock::now();
  auto route = resolve(request);
  if (!route) {
    record(kUnmatchedRoute, route.error().status, std::chrono::steady_clock::now() - started);
    co_return std::move(route.error());
  }
  Response response;
  try {
    response = co_await (*route)->handler(request);
  } catch (const std::exception& e) {
    log::get("api")->error("{} {} failed: {}", request.method, (*route)->pattern, e.what());
    response = error_response(
        Error{ErrorCode::internal, request.method + " " + (*route)->pattern +
                                       " failed unexpectedly; see the agent's log (api)"});
  }
  record((*route)->pattern, response.status, std::chrono::steady_clock::now() - started);
  // Method and path only: the query and headers may carry what should not reach a log.
  log::get("api")->debug("{} {} -> {}", request.method, request.path, response.status);
  co_return response;
}

void Dispatcher::record(std::string_view route, int status,
                        std::chrono::steady_clock::duration elapsed) {
  metrics_.add(kRequests, {{"route", std::string(route)}, {"code", std::to_string(status)}});
  metrics_.observe(kDuration, {{"route", std::string(route)}},
                   std::chrono::duration<double>(elapsed).count());
}

}  // namespace constellation::api
