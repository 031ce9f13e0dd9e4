// The API's route table and the router that matches a request against it. One table of
// {method, path pattern, summary, mutates, handler} drives dispatch, auth (mutates) and
// /api/v1/help, so the three can never disagree. Routers are immutable after construction.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "agent/api/http_types.hpp"
#include "shared/asio.hpp"

namespace constellation::api {

/// Handles one matched request; runs on the loop thread and never throws on purpose
/// (the dispatcher turns a stray exception into a 500).
using Handler = std::function<asio::awaitable<Response>(const Request&)>;

/// One row of the route table.
struct Route {
  std::string method;    ///< "GET", "POST"
  std::string pattern;   ///< "/api/v1/events", segments may be "{name}" parameters
  std::string summary;   ///< one line for /api/v1/help and the man page
  bool mutates = false;  ///< needs the bearer token over TCP
  Handler handler;
};

/// Outcome of matching: a route (with parameters), or no route with the methods the path
/// does allow (empty = no such path: 404; non-empty = wrong method: 405 + Allow).
struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;
};

class Router {
 public:
  explicit Router(std::vector<Route> routes);

  /// Matches `path` literally segment by segment; "{x}" matches one non-empty segment.
  RouteMatch match(std::string_view method, std::string_view path) const;
  std::span<const Route> routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

/// Error for a path that matched nothing, pointing the caller at /api/v1/help.
Error route_not_found(std::string_view method, std::string_view path);
/// Error for a known path with the wrong method; `allowed` goes into the message.
Error method_not_allowed(std::string_view method, std::string_view path,
                         const std::vector<std::string>& allowed);

}  // namespace constellation::api
