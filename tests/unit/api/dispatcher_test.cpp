// The route table and dispatcher without sockets: every route, 404/405, body parsing, the
// error shape, and /api/v1/help generated from the table.
#include <set>

#include <gtest/gtest.h>

#include "shared/api_paths.hpp"
#include "shared/version.hpp"
#include "tests/unit/api/dispatch_helpers.hpp"

namespace constellation::api::testing {
namespace {

TEST(Dispatcher, HealthIsOkWithNodeAndVersionWhenNoProblems) {
  DispatchFixture f;
  auto response = f.call("GET", "/health");
  EXPECT_EQ(response.status, 200);
  auto body = body_of(response);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["node"], "alpha");
  EXPECT_EQ(body["version"], std::string(kVersion));
  EXPECT_FALSE(body.contains("problems"));
}

TEST(Dispatcher, HealthIs503DegradedListingProblems) {
  DispatchFixture f;
  f.agent.problems = {"journal is failed"};
  auto response = f.call("GET", "/health");
  EXPECT_EQ(response.status, 503);
  auto body = body_of(response);
  EXPECT_EQ(body["status"], "degraded");
  EXPECT_EQ(body["problems"], nlohmann::json::array({"journal is failed"}));
}

TEST(Dispatcher, StatusServesTheAgentsDocument) {
  DispatchFixture f;
  auto response = f.call("GET", "/api/v1/status");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(body_of(response)["node"], "alpha");
}

TEST(Dispatcher, EventsReturnsJournalOldestFirstAndPassesTheQuery) {
  DispatchFixture f;
  f.agent.store(make_event("agent.started"));
  f.agent.store(make_event("note"));
  auto response = f.call("GET", "/api/v1/events?kind=agent.&limit=5&after_id=0&subject=db");
  ASSERT_EQ(response.status, 200) << response.body;
  ASSERT_TRUE(f.agent.last_query);
  EXPECT_EQ(f.agent.last_query->kind, "agent.");
  EXPECT_EQ(f.agent.last_query->subject, "db");
  EXPECT_EQ(f.agent.last_query->limit, 5);
  EXPECT_EQ(f.agent.last_query->after_id, 0);

  auto all = body_of(f.call("GET", "/api/v1/events"));
  ASSERT_EQ(all["events"].size(), 2u);
  EXPECT_EQ(all["events"][0]["id"], 1);
  EXPECT_EQ(all["events"][1]["kind"], "note");
  EXPECT_EQ(f.agent.last_query->limit, 100);
}

TEST(Dispatcher, EventQueryErrorIs400NamingParameterAndValue) {
  DispatchFixture f;
  auto response = f.call("GET", "/api/v1/events?limit=lots");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(error_code_of(response), "invalid_argument");
  EXPECT_NE(error_message_of(response).find("limit='lots'"), std::string::npos);
  EXPECT_FALSE(f.agent.last_query) << "no query runs for a bad parameter";
}

TEST(Dispatcher, PostEventRecordsANoteWithTheRequestActor) {
  DispatchFixture f;
  auto response = f.call("POST", "/api/v1/events",
                         R"({"message":"draining db1","subject":"db1","kind":"note.maintenance"})",
                         PeerKind::tcp, "");
  // Over TCP without a token this is refused; over the unix socket it is recorded.
  EXPECT_EQ(response.status, 401);
  EXPECT_TRUE(f.agent.journal.empty());
  response = f.call("POST", "/api/v1/events",
                    R"({"message":"draining db1","subject":"db1","kind":"note.maintenance"})");
  ASSERT_EQ(response.status, 201) << response.body;
  auto event = body_of(response)["event"];
  EXPECT_EQ(event["id"], 1);
  EXPECT_EQ(event["kind"], "note.maintenance");
  EXPECT_EQ(event["subject"], "db1");
  EXPECT_EQ(event["actor"], "api:unix");
  EXPECT_EQ(event["detail"]["message"], "draining db1");
  ASSERT_EQ(f.agent.journal.size(), 1u);
}

TEST(Dispatcher, PostEventWhoseJournalWriteFailsReturnsThatError) {
  DispatchFixture f;
  f.agent.publish_error = Error{ErrorCode::unavailable, "journal is read-only"};
  auto response = f.call("POST", "/api/v1/events", R"({"message":"x"})");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(error_message_of(response), "journal is read-only");
}

TEST(Dispatcher, MalformedJsonBodyIs400NamingTheParseError) {
  DispatchFixture f;
  auto response = f.call("POST", "/api/v1/events", R"({"message": "unterminated)");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(error_code_of(response), "invalid_argument");
  EXPECT_NE(error_message_of(response).find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_message_of(response).find("line 1"), std::string::npos)
      << error_message_of(response);
  EXPECT_TRUE(f.agent.journal.empty());
}

TEST(Dispatcher, EmptyNoteBodyIs400ShowingTheExpectedShape) {
  DispatchFixture f;
  auto response = f.call("POST", "/api/v1/events", "");
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(error_message_of(response).find("\"message\""), std::string::npos);
}

TEST(Dispatcher, ReloadAcceptsNoBodyOrEmptyObjectAndReturnsThePlan) {
  DispatchFixture f;
  auto response = f.call("POST", "/api/v1/reload");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(body_of(response)["changed"], nlohmann::json::array({"log_level"}));
  EXPECT_EQ(body_of(response)["restart_required"], nlohmann::json::array({"api"}));
  EXPECT_EQ(f.call("POST", "/api/v1/reload", "{}").status, 200);
  EXPECT_EQ(f.agent.reloads, 2);
  EXPECT_EQ(f.call("POST", "/api/v1/reload", R"({"force":true})").status, 400);
  EXPECT_EQ(f.agent.reloads, 2);
}

TEST(Dispatcher, ReloadFailureMapsTheErrorCode) {
  DispatchFixture f;
  f.agent.reload_result = std::unexpected(Error{ErrorCode::bad_config, "config.yaml: api: bad"});
  auto response = f.call("POST", "/api/v1/reload");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(error_code_of(response), "bad_config");
  EXPECT_EQ(error_message_of(response), "config.yaml: api: bad");
}

TEST(Dispatcher, MetricsServesPrometheusTextWithRequestCounts) {
  DispatchFixture f;
  f.call("GET", "/health");
  auto response = f.call("GET", "/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find(R"(constellation_api_requests_total{code="200",route="/health"} 1)"),
            std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find("# TYPE constellation_api_request_duration_seconds histogram"),
            std::string::npos);
}

TEST(Dispatcher, PlainGetOnWebSocketPathIs400SayingToUpgrade) {
  DispatchFixture f;
  auto response = f.call("GET", "/ws");
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(error_message_of(response).find("Upgrade"), std::string::npos);
}

TEST(Dispatcher, UnknownPathIs404PointingAtHelp) {
  DispatchFixture f;
  auto response = f.call("GET", "/api/v1/nope");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(error_code_of(response), "not_found");
  EXPECT_NE(error_message_of(response).find("/api/v1/help"), std::string::npos);
}

TEST(Dispatcher, WrongMethodIs405WithAllowHeader) {
  DispatchFixture f;
  auto response = f.call("DELETE", "/api/v1/events");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(error_code_of(response), "method_not_allowed");
  ASSERT_EQ(response.extra_headers.size(), 1u);
  EXPECT_EQ(response.extra_headers[0].first, "Allow");
  EXPECT_EQ(response.extra_headers[0].second, "GET, POST");
}

TEST(Dispatcher, TargetThatIsNotAPathIs400) {
  DispatchFixture f;
  EXPECT_EQ(f.call("GET", "http://example.com/health").status, 400);
  EXPECT_EQ(f.call("GET", "/api/v1/events?kind=%zz").status, 400);
}

TEST(Dispatcher, HandlerExceptionBecomes500WithoutCrashing) {
  Metrics metrics;
  Dispatcher dispatcher({{"GET", "/boom", "throws", false,
                          [](const Request&) -> asio::awaitable<Response> {
                            throw std::runtime_error("kaboom");
                            co_return Response{};
                          }}},
                        Auth(std::nullopt, "x"), metrics);
  asio::io_context io;
  Request request;
  request.method = "GET";
  request.target = "/boom";
  std::optional<Response> response;
  asio::co_spawn(io, dispatcher.dispatch(request),
                 [&](std::exception_ptr, Response r) { response = std::move(r); });
  io.run();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(error_code_of(*response), "internal");
}

TEST(Dispatcher, HelpListsEveryRouteOfTheTable) {
  DispatchFixture f;
  auto response = f.call("GET", "/api/v1/help");
  ASSERT_EQ(response.status, 200);
  auto routes = body_of(response)["routes"];
  ASSERT_EQ(routes.size(), f.dispatcher.router().routes().size());
  std::set<std::pair<std::string, std::string>> listed;
  for (const auto& route : routes) {
    listed.emplace(route["method"], route["path"]);
    EXPECT_FALSE(route["summary"].get<std::string>().empty());
  }
  for (const auto& route : f.dispatcher.router().routes())
    EXPECT_TRUE(listed.contains({route.method, route.pattern})) << route.pattern;
  for (auto path : {api_paths::health, api_paths::metrics, api_paths::status, api_paths::events,
                    api_paths::help, api_paths::reload, api_paths::ws})
    EXPECT_TRUE(listed.contains({path == api_paths::reload ? "POST" : "GET", std::string(path)}))
        << path;
  for (const auto& route : routes)
    EXPECT_EQ(route["mutates"], route["method"] == "POST") << route["path"];
}

// Runs one request through the real routes over `agent` as it is now.
Response call_with(FakeAgent& agent, std::string method, std::string target,
                   std::string body = "") {
  Metrics metrics;
  Dispatcher dispatcher(make_routes(HandlerDeps{agent.context(), "alpha", &metrics}),
                        Auth(std::nullopt, std::string(kTokenPath)), metrics);
  Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  asio::io_context io;
  std::optional<Response> response;
  asio::co_spawn(io, dispatcher.dispatch(std::move(request)),
                 [&](std::exception_ptr, Response r) { response = std::move(r); });
  io.run();
  return response.value();
}

TEST(Dispatcher, GossipViewsServeTheAgentsDocumentsOr503WithoutGossip) {
  FakeAgent agent;
  for (std::string path : {"/api/v1/members", "/api/v1/nodes", "/api/v1/nodes/alpha",
                           "/api/v1/services", "/api/v1/services/web"})
    EXPECT_EQ(call_with(agent, "GET", path).status, 503) << path;
  agent.members = nlohmann::json{{"members", {{{"name", "alpha"}, {"state", "alive"}}}},
                                 {"awareness", 0},
                                 {"suspicions", nlohmann::json::array()}};
  EXPECT_EQ(body_of(call_with(agent, "GET", "/api/v1/members"))["members"][0]["name"], "alpha");
  EXPECT_EQ(body_of(call_with(agent, "GET", "/api/v1/nodes"))["nodes"][0]["name"], "alpha");
  EXPECT_EQ(body_of(call_with(agent, "GET", "/api/v1/nodes/alpha"))["state"], "alive");
  EXPECT_EQ(call_with(agent, "GET", "/api/v1/nodes/omega").status, 404);
  EXPECT_EQ(body_of(call_with(agent, "GET", "/api/v1/services"))["services"][0]["service"], "web");
  EXPECT_EQ(call_with(agent, "GET", "/api/v1/services/web").status, 200);
  EXPECT_EQ(call_with(agent, "GET", "/api/v1/services/db").status, 404);
}

TEST(Dispatcher, ForceLeaveNamesTheNodeFromThePathAndReportsARefusal) {
  FakeAgent agent;
  agent.members = nlohmann::json{{"members", nlohmann::json::array()}};
  auto response = call_with(agent, "POST", "/api/v1/nodes/gamma/force-leave");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(body_of(response)["left"], "gamma");
  EXPECT_EQ(agent.force_left, std::vector<std::string>{"gamma"});
  EXPECT_EQ(call_with(agent, "POST", "/api/v1/nodes/alpha/force-leave").status, 409);
  EXPECT_EQ(call_with(agent, "POST", "/api/v1/nodes/gamma/force-leave", "{oops").status, 400);
  EXPECT_EQ(call_with(agent, "GET", "/api/v1/nodes/gamma/force-leave").status, 405);
  EXPECT_EQ(call_with(agent, "POST", "/api/v1/leave").status, 202);
  EXPECT_EQ(agent.leaves, 1);
}

TEST(Dispatcher, JoinPassesTheAddressesAndRejectsAnythingButANonEmptyStringList) {
  FakeAgent agent;
  agent.members = nlohmann::json{{"members", nlohmann::json::array()}};
  EXPECT_EQ(call_with(agent, "POST", "/api/v1/join", "{}").status, 400);
  EXPECT_EQ(call_with(agent, "POST", "/api/v1/join", R"({"addresses":[]})").status, 400);
  EXPECT_EQ(call_with(agent, "POST", "/api/v1/join", R"({"addresses":[7946]})").status, 400);
  EXPECT_TRUE(agent.joins.empty());
  auto response = call_with(agent, "POST", "/api/v1/join", R"({"addresses":["10.0.0.1","b:7"]})");
  EXPECT_EQ(response.status, 202);
  ASSERT_EQ(agent.joins.size(), 1u);
  EXPECT_EQ(agent.joins[0], (std::vector<std::string>{"10.0.0.1", "b:7"}));
}

}  // namespace
}  // namespace constellation::api::testing
