// The sans-IO heart of the API: Request in, Response out. It parses the target, matches the
// route table (404 / 405 + Allow), applies auth, runs the handler, maps stray exceptions to
// 500 and counts every answer in the request metrics. Loop thread only.
#pragma once

#include <chrono>
#include <expected>
#include <string_view>
#include <vector>

#include "agent/api/auth.hpp"
#include "agent/api/http_types.hpp"
#include "agent/api/metrics.hpp"
#include "agent/api/routes.hpp"
#include "shared/asio.hpp"

namespace constellation::api {

class Dispatcher {
 public:
  /// `metrics` must outlive the dispatcher; the request metric families are declared here.
  Dispatcher(std::vector<Route> routes, Auth auth, Metrics& metrics);

  /// Fills request.path/query/path_params and decides whether the request may run: the route
  /// to run, or the finished error response (400 bad target, 404, 405 + Allow, 401).
  std::expected<const Route*, Response> resolve(Request& request) const;

  /// resolve() then the handler; never throws. Records the request metrics.
  asio::awaitable<Response> dispatch(Request request);

  /// Counts one answered request. `route` is the route pattern, or "unmatched" for answers
  /// given without a route (404, malformed requests) so label values stay bounded.
  void record(std::string_view route, int status, std::chrono::steady_clock::duration elapsed);

  const Router& router() const { return router_; }
  Auth& auth() { return auth_; }

 private:
  Router router_;
  Auth auth_;
  Metrics& metrics_;
};

inline constexpr std::string_view kUnmatchedRoute = "unmatched";

}  // namespace constellation::api
