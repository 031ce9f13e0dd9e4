// Route matching: literal segments and {param} segments, 404 vs 405 decided here.
#include "agent/api/routes.hpp"

#include <algorithm>

#include "shared/api_paths.hpp"
#include "shared/strings.hpp"

namespace constellation::api {
namespace {

bool match_pattern(std::string_view pattern, std::string_view path,
                   std::map<std::string, std::string>& params) {
  auto want = split(pattern, '/');
  auto got = split(path, '/');
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (got[i].empty()) return false;
      found[w.substr(1, w.size() - 2)] = got[i];
    } else if (w != got[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!match_pattern(route.pattern, path, params)) continue;
    if (route.method == method) {
      result.route = &route;
      result.params = std::move(params);
      result.allowed.clear();
      return result;
    }
    if (std::find(result.allowed.begin(), result.allowed.end(), route.method) ==
        result.allowed.end())
      result.allowed.push_back(route.method);
  }
  return result;
}

Error route_not_found(std::string_view method, std::string_view path) {
  return Error{ErrorCode::not_found, "no route for " + std::string(method) + " " +
                                         std::string(path.substr(0, 200)) + "; GET " +
                                         std::string(api_paths::help) + " lists every route"};
}

Error method_not_allowed(std::string_view method, std::string_view path,
                         const std::vector<std::string>& allowed) {
  return Error{ErrorCode::method_not_allowed, std::string(path) + " does not accept " +
                                                  std::string(method.substr(0, 20)) + "; use " +
                                                  join(allowed, " or ")};
}

}  // namespace constellation::api
