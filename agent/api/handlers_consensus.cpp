// Route rows and handlers for the operator's consensus surface: the raft leader, leadership
// transfer, one lease in detail, and cordon/uncordon. Kept apart from handlers.cpp so the
// consensus routes read as one group; make_routes() splices them in after GET /api/v1/leases.
#include "agent/api/handlers_consensus.hpp"

#include <memory>

#include "shared/api_paths.hpp"
#include "shared/strings.hpp"

namespace constellation::api {
namespace {

using Deps = std::shared_ptr<const HandlerDeps>;
using StartFn = std::function<void(ApiContext::JsonDone)>;

Error raft_off() {
  return Error{ErrorCode::unavailable,
               "raft is not running on this node (option raft_enabled); leases and cordons need "
               "it"};
}

/// Runs an agent operation that completes through a callback, as a coroutine. The
/// completion handler is move-only and std::function needs a copy: hold it behind a
/// shared_ptr.
asio::awaitable<Result<nlohmann::json>> await_operation(StartFn start) {
  auto initiate = [](auto handler, StartFn start) {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    start([shared](Result<nlohmann::json> result) mutable { (*shared)(std::move(result)); });
  };
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>,
                                          void(Result<nlohmann::json>)>(
      initiate, asio::use_awaitable, std::move(start));
}

/// The request body as a JSON object; an empty body is {}.
Result<nlohmann::json> object_body(const Request& request, std::string_view usage) {
  if (trim(request.body).empty()) return nlohmann::json::object();
  auto body = parse_json_body(request.body);
  if (!body) return std::unexpected(body.error());
  if (!body->is_object()) return fail(ErrorCode::invalid_argument, std::string(usage));
  return body;
}

/// An optional string field of a body; invalid_argument (with `usage`) if it is not a string.
Result<std::string> string_field(const nlohmann::json& body, const char* key,
                                 std::string_view usage) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string())
    return fail(ErrorCode::invalid_argument,
                std::string("field '") + key + "' must be a string; " + std::string(usage));
  return it->get<std::string>();
}

asio::awaitable<Response> reply(Result<nlohmann::json> result, int status) {
  if (!result) co_return error_response(result.error());
  co_return json_response(status, *result);
}

asio::awaitable<Response> raft_leader(Deps deps) {
  if (!deps->context.raft_leader) co_return error_response(raft_off());
  co_return co_await reply(deps->context.raft_leader(), 200);
}

asio::awaitable<Response> lease(Deps deps, const Request& request) {
  if (!deps->context.lease) co_return error_response(raft_off());
  co_return co_await reply(deps->context.lease(request.path_params.at("name")), 200);
}

asio::awaitable<Response> transfer(Deps deps, const Request& request) {
  constexpr std::string_view usage =
      "POST /api/v1/raft/transfer takes no body, {} (the best voter) or {\"node\":\"NAME\"}";
  auto body = object_body(request, usage);
  if (!body) co_return error_response(body.error());
  auto node = string_field(*body, "node", usage);
  if (!node) co_return error_response(node.error());
  if (!deps->context.transfer_leadership) co_return error_response(raft_off());
  StartFn start = [deps, node = *node](ApiContext::JsonDone done) {
    deps->context.transfer_leadership(node, std::move(done));
  };
  auto result = co_await await_operation(std::move(start));
  co_return co_await reply(std::move(result), 200);
}

asio::awaitable<Response> cordon(Deps deps, const Request& request) {
  constexpr std::string_view usage =
      "POST /api/v1/nodes/{node}/cordon needs {\"reason\":\"why\"} (the console's --reason)";
  const std::string node = request.path_params.at("node");
  auto body = object_body(request, usage);
  if (!body) co_return error_response(body.error());
  auto reason = string_field(*body, "reason", usage);
  if (!reason) co_return error_response(reason.error());
  if (trim(*reason).empty())
    co_return error_response(Error{
        ErrorCode::invalid_argument,
        "cordoning " + node +
            " needs a reason: --reason is required (body {\"reason\":\"why\"}, e.g. 'disk swap')"});
  if (!deps->context.cordon) co_return error_response(raft_off());
  StartFn start = [deps, node, reason = std::string(trim(*reason)),
                   actor = actor_of(request)](ApiContext::JsonDone done) {
    deps->context.cordon(node, reason, actor, std::move(done));
  };
  auto result = co_await await_operation(std::move(start));
  co_return co_await reply(std::move(result), 200);
}

asio::awaitable<Response> uncordon(Deps deps, const Request& request) {
  const std::string node = request.path_params.at("node");
  auto body = object_body(request, "POST /api/v1/nodes/{node}/uncordon takes no body or {}");
  if (!body) co_return error_response(body.error());
  if (!deps->context.uncordon) co_return error_response(raft_off());
  StartFn start = [deps, node, actor = actor_of(request)](ApiContext::JsonDone done) {
    deps->context.uncordon(node, actor, std::move(done));
  };
  auto result = co_await await_operation(std::move(start));
  co_return co_await reply(std::move(result), 200);
}

}  // namespace

std::vector<Route> consensus_routes(std::shared_ptr<const HandlerDeps> deps) {
  const std::string nodes(api_paths::nodes);
  return {
      {"GET", std::string(api_paths::raft_leader),
       "The raft leader (node, id, address), or null and why there is none", false,
       [deps](const Request&) { return raft_leader(deps); }},
      {"POST", std::string(api_paths::raft_transfer),
       "Hand raft leadership to {\"node\"} or, without one, to the best voter", true,
       [deps](const Request& request) { return transfer(deps, request); }},
      {"GET", std::string(api_paths::leases) + "/{name}",
       "One lease: holder, token, expires-in, renewals, history, acting, why no holder", false,
       [deps](const Request& request) { return lease(deps, request); }},
      {"POST", nodes + "/{node}" + std::string(api_paths::cordon_suffix),
       "Cordon a node {\"reason\"}: no lease is granted to it and it hands its leases over", true,
       [deps](const Request& request) { return cordon(deps, request); }},
      {"POST", nodes + "/{node}" + std::string(api_paths::uncordon_suffix),
       "Lift a node's cordon so it may hold leases again", true,
       [deps](const Request& request) { return uncordon(deps, request); }},
  };
}

}  // namespace constellation::api
