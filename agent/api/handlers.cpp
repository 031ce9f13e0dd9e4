// Route handlers: each one validates its input, calls the agent and shapes the reply.
#include "agent/api/handlers.hpp"

#include "agent/api/event_params.hpp"
#include "shared/api_paths.hpp"
#include "shared/strings.hpp"
#include "shared/version.hpp"

namespace constellation::api {
namespace {

using Deps = std::shared_ptr<const HandlerDeps>;

/// Adapts ApiContext::publish (a callback) to a coroutine. The completion handler is
/// move-only, std::function needs a copy: hold it behind a shared_ptr.
asio::awaitable<Result<Event>> publish_and_wait(const ApiContext& context, Event event) {
  auto initiate = [&context](auto handler, Event event) {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    context.publish(std::move(event),
                    [shared](Result<Event> stored) mutable { (*shared)(std::move(stored)); });
  };
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>, void(Result<Event>)>(
      initiate, asio::use_awaitable, std::move(event));
}

asio::awaitable<Response> health(Deps deps) {
  auto problems = deps->context.health_problems();
  nlohmann::json body = {{"status", problems.empty() ? "ok" : "degraded"},
                         {"node", deps->node},
                         {"version", std::string(kVersion)}};
  if (problems.empty()) co_return json_response(200, body);
  body["problems"] = problems;
  co_return json_response(503, body);
}

asio::awaitable<Response> metrics(Deps deps) {
  Response response;
  response.content_type = std::string(kMetricsContentType);
  response.body = deps->metrics->render();
  co_return response;
}

asio::awaitable<Response> list_events(Deps deps, const Request& request) {
  auto query = parse_event_query(request.query, now_ms());
  if (!query) co_return error_response(query.error());
  auto events = co_await deps->context.query_events(*query);
  if (!events) co_return error_response(events.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& event : *events) list.push_back(to_json(event));
  co_return json_response(200, {{"events", std::move(list)}});
}

asio::awaitable<Response> add_note(Deps deps, const Request& request) {
  if (trim(request.body).empty())
    co_return error_response(Error{ErrorCode::invalid_argument,
                                   "POST /api/v1/events needs a JSON body like "
                                   "{\"message\":\"text\",\"subject\":\"optional\"}"});
  auto body = parse_json_body(request.body);
  if (!body) co_return error_response(body.error());
  auto note = parse_note(*body, actor_of(request));
  if (!note) co_return error_response(note.error());
  auto stored = co_await publish_and_wait(deps->context, std::move(*note));
  if (!stored) co_return error_response(stored.error());
  co_return json_response(201, {{"event", to_json(*stored)}});
}

asio::awaitable<Response> reload(Deps deps, const Request& request) {
  if (!trim(request.body).empty()) {
    auto body = parse_json_body(request.body);
    if (!body) co_return error_response(body.error());
    if (!body->is_object() || !body->empty())
      co_return error_response(Error{ErrorCode::invalid_argument,
                                     "POST /api/v1/reload takes no body or {}; it re-reads the "
                                     "configuration sources the agent started with"});
  }
  auto result = deps->context.reload();
  if (!result) co_return error_response(result.error());
  co_return json_response(200, *result);
}

asio::awaitable<Response> members(Deps deps) {
  if (!deps->context.members)
    co_return error_response(Error{ErrorCode::unavailable, "gossip is not running"});
  auto list = deps->context.members();
  if (!list) co_return error_response(list.error());
  co_return json_response(200, *list);
}

/// Answers a JSON view the agent computes, or 503 when the agent has no such subsystem.
asio::awaitable<Response> view(const std::function<Result<nlohmann::json>()>& compute,
                               std::string_view what) {
  if (!compute)
    co_return error_response(Error{ErrorCode::unavailable, std::string(what) + " is not running"});
  auto json = compute();
  if (!json) co_return error_response(json.error());
  co_return json_response(200, *json);
}

/// The same for a view of one named thing, the name taken from the path.
asio::awaitable<Response> named_view(
    const std::function<Result<nlohmann::json>(const std::string&)>& compute,
    const Request& request, std::string param, std::string_view what) {
  if (!compute)
    co_return error_response(Error{ErrorCode::unavailable, std::string(what) + " is not running"});
  auto json = compute(request.path_params.at(param));
  if (!json) co_return error_response(json.error());
  co_return json_response(200, *json);
}

asio::awaitable<Response> empty_body_action(const std::function<Status()>& action,
                                            const Request& request, int status_code,
                                            nlohmann::json reply) {
  if (!trim(request.body).empty()) {
    auto body = parse_json_body(request.body);
    if (!body) co_return error_response(body.error());
  }
  if (!action) co_return error_response(Error{ErrorCode::unavailable, "gossip is not running"});
  if (auto done = action(); !done) co_return error_response(done.error());
  co_return json_response(status_code, std::move(reply));
}

asio::awaitable<Response> force_leave(Deps deps, const Request& request) {
  const std::string node = request.path_params.at("node");
  std::function<Status()> action;
  if (deps->context.force_leave) action = [deps, node] { return deps->context.force_leave(node); };
  nlohmann::json reply;  // built outside the co_await: g++ 12 miscompiles init-lists across it
  reply["left"] = node;
  co_return co_await empty_body_action(action, request, 200, std::move(reply));
}

asio::awaitable<Response> join(Deps deps, const Request& request) {
  auto body = parse_json_body(request.body);
  if (!body) co_return error_response(body.error());
  const Error usage{ErrorCode::invalid_argument,
                    "POST /api/v1/join needs {\"addresses\":[\"HOST[:PORT]\",...]}"};
  if (!body->is_object() || !body->contains("addresses") || !(*body)["addresses"].is_array() ||
      (*body)["addresses"].empty())
    co_return error_response(usage);
  std::vector<std::string> addresses;
  for (const auto& address : (*body)["addresses"]) {
    if (!address.is_string()) co_return error_response(usage);
    addresses.push_back(address.get<std::string>());
  }
  if (!deps->context.join)
    co_return error_response(Error{ErrorCode::unavailable, "gossip is not running"});
  auto started = deps->context.join(std::move(addresses));
  if (!started) co_return error_response(started.error());
  co_return json_response(202, {{"joining", *started}});
}

/// The ?node=N of a request when it names another node than this agent's; nullopt otherwise.
std::optional<std::string> other_node(const Deps& deps, const Request& request) {
  auto node = request.query.find("node");
  if (node == request.query.end() || node->second.empty() || node->second == deps->node)
    return std::nullopt;
  return node->second;
}

/// What `method` returns on `node` (?node=N routes).
asio::awaitable<Result<nlohmann::json>> call_node(Deps deps, std::string node, std::string method,
                                                  nlohmann::json params) {
  if (!deps->context.node_call) co_return fail(ErrorCode::unavailable, "gossip is not running");
  co_return co_await deps->context.node_call(std::move(node), std::move(method), std::move(params));
}

/// Answers with what `method` returns on `node`.
asio::awaitable<Response> on_node(Deps deps, std::string node, std::string method,
                                  nlohmann::json params) {
  auto result = co_await call_node(deps, std::move(node), std::move(method), std::move(params));
  if (!result) co_return error_response(result.error());
  co_return json_response(200, *result);
}

asio::awaitable<Response> raft_status(Deps deps, const Request& request) {
  if (auto node = other_node(deps, request))
    co_return co_await on_node(deps, *node, "raft.status", nlohmann::json::object());
  co_return co_await view(deps->context.raft_status, "raft");
}

asio::awaitable<Response> containers(Deps deps, const Request& request) {
  if (auto node = other_node(deps, request))
    co_return co_await on_node(deps, *node, "docker.containers", nlohmann::json::object());
  if (!deps->context.containers)
    co_return error_response(
        Error{ErrorCode::unavailable, "the Docker monitor is off on this node (option docker)"});
  auto list = deps->context.containers();
  if (!list) co_return error_response(list.error());
  co_return json_response(200, *list);
}

asio::awaitable<Response> restart_container(Deps deps, const Request& request) {
  auto name = request.path_params.find("name");
  if (name == request.path_params.end())
    co_return error_response(Error{ErrorCode::invalid_argument, "no container name in the path"});
  if (auto node = other_node(deps, request)) {
    nlohmann::json params;  // built outside the co_await: g++ 12 and init-lists, see force_leave
    params["name"] = name->second;
    params["actor"] = actor_of(request);
    auto restarted = co_await call_node(deps, *node, "docker.restart", std::move(params));
    if (!restarted) co_return error_response(restarted.error());
    nlohmann::json reply;
    reply["restarted"] = std::move(*restarted);
    co_return json_response(200, reply);
  }
  if (!deps->context.restart_container)
    co_return error_response(
        Error{ErrorCode::unavailable, "the Docker monitor is off on this node (option docker)"});
  auto restarted = co_await deps->context.restart_container(name->second, actor_of(request));
  if (!restarted) co_return error_response(restarted.error());
  co_return json_response(200, {{"restarted", *restarted}});
}

asio::awaitable<Response> websocket_without_upgrade() {
  co_return error_response(Error{ErrorCode::invalid_argument,
                                 "GET /ws is a WebSocket endpoint; send 'Connection: Upgrade' and "
                                 "'Upgrade: websocket' (e.g. with the console's events --follow)"});
}

}  // namespace

std::vector<Route> make_routes(HandlerDeps deps_value) {
  auto deps = std::make_shared<const HandlerDeps>(std::move(deps_value));
  auto help = std::make_shared<nlohmann::json>();  // filled from the finished table below
  std::vector<Route> routes = {
      {"GET", std::string(api_paths::health), "Liveness and health: 200 ok or 503 with problems",
       false, [deps](const Request&) { return health(deps); }},
      {"GET", std::string(api_paths::status), "The agent's status: node, version, subsystems",
       false,
       [deps](const Request&) -> asio::awaitable<Response> {
         co_return json_response(200, deps->context.status());
       }},
      {"GET", std::string(api_paths::events),
       "Journal events, oldest first (since, since_ms, until_ms, kind, subject, after_id, limit)",
       false, [deps](const Request& request) { return list_events(deps, request); }},
      {"POST", std::string(api_paths::events),
       "Record an operator note {\"message\",\"subject\"?,\"kind\"?} in the journal", true,
       [deps](const Request& request) { return add_note(deps, request); }},
      {"POST", std::string(api_paths::reload), "Reload the configuration (same as SIGHUP)", true,
       [deps](const Request& request) { return reload(deps, request); }},
      {"GET", std::string(api_paths::members),
       "Gossip members: state, incarnation, awareness, suspicions and their accusers", false,
       [deps](const Request&) { return members(deps); }},
      {"GET", std::string(api_paths::nodes),
       "The cluster's nodes: state, priority, capabilities, IPs, service counts", false,
       [deps](const Request&) { return view(deps->context.nodes, "gossip"); }},
      {"GET", std::string(api_paths::nodes) + "/{node}",
       "One node: its meta, member state, suspicion and service records", false,
       [deps](const Request& request) {
         return named_view(deps->context.node, request, "node", "gossip");
       }},
      {"POST", std::string(api_paths::nodes) + "/{node}/force-leave",
       "Mark a failed node as left everywhere", true,
       [deps](const Request& request) { return force_leave(deps, request); }},
      {"GET", std::string(api_paths::services),
       "Services across the cluster: instances, healthy count, nodes", false,
       [deps](const Request&) { return view(deps->context.services, "gossip"); }},
      {"GET", std::string(api_paths::services) + "/{service}",
       "One service's instances on every node", false,
       [deps](const Request& request) {
         return named_view(deps->context.service, request, "service", "gossip");
       }},
      {"GET", std::string(api_paths::raft_status),
       "This node's (or ?node=N's) raft role, term, leader and members, or why there is no "
       "leader",
       false, [deps](const Request& request) { return raft_status(deps, request); }},
      {"GET", std::string(api_paths::leases),
       "Leases (holder, fencing token, renewals, history) and cordons, from this replica", false,
       [deps](const Request&) { return view(deps->context.leases, "raft"); }},
      {"POST", std::string(api_paths::leave),
       "Leave the gossip cluster gracefully and stop this agent", true,
       [deps](const Request& request) {
         nlohmann::json reply;
         reply["leaving"] = true;
         return empty_body_action(deps->context.leave, request, 202, std::move(reply));
       }},
      {"POST", std::string(api_paths::join), "Join gossip seeds {\"addresses\":[...]}", true,
       [deps](const Request& request) { return join(deps, request); }},
      {"GET", std::string(api_paths::containers),
       "This node's (or ?node=N's) containers: service, state, health, networks, endpoints, "
       "labels",
       false, [deps](const Request& request) { return containers(deps, request); }},
      {"POST", std::string(api_paths::container_restart),
       "Restart a container of this node (or ?node=N) by name, id or service", true,
       [deps](const Request& request) { return restart_container(deps, request); }},
      {"GET", std::string(api_paths::help), "This list of routes", false,
       [help](const Request&) -> asio::awaitable<Response> {
         co_return json_response(200, *help);
       }},
      {"GET", std::string(api_paths::metrics), "Prometheus metrics (text format 0.0.4)", false,
       [deps](const Request&) { return metrics(deps); }},
      {"GET", std::string(api_paths::ws),
       "WebSocket: hello, snapshot, then events with sequence numbers", false,
       [](const Request&) { return websocket_without_upgrade(); }},
  };
  *help = describe_routes(routes);
  return routes;
}

nlohmann::json describe_routes(std::span<const Route> routes) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& route : routes)
    list.push_back({{"method", route.method},
                    {"path", route.pattern},
                    {"summary", route.summary},
                    {"mutates", route.mutates}});
  return {{"routes", std::move(list)}};
}

}  // namespace constellation::api
