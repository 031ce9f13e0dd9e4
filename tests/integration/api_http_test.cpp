// The API over real sockets: JSON errors with the right statuses, limits, token auth over
// TCP, /metrics format and /api/v1/help generated from the route table.
#include <sys/stat.h>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;
using nlohmann::json;

namespace {
void expect_json_error(const std::optional<HttpResponse>& response, int status,
                       const std::string& code) {
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, status) << response->body;
  auto body = json::parse(response->body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << response->body;
  EXPECT_EQ(body["error"]["code"], code) << response->body;
  EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
}

struct TokenAgent {
  TempDir dir;
  std::unique_ptr<Agent> agent;
  TokenAgent() {
    mkdir(dir.file("alpha").c_str(), 0700);
    mkdir(dir.file("alpha/secrets").c_str(), 0700);
    std::ofstream(dir.file("alpha/secrets/api-token")) << "correct-horse\n";
    chmod(dir.file("alpha/secrets/api-token").c_str(), 0600);
    agent = std::make_unique<Agent>(dir, Agent::Options{.node = "alpha"});
  }
  TcpTarget tcp() const { return {"127.0.0.1", agent->api_port()}; }
};
}  // namespace

TEST(ApiHttp, UnknownRouteIs404Json) {
  TempDir dir;
  Agent agent(dir);
  expect_json_error(http_request(UnixTarget{agent.socket()}, "GET", "/api/v1/nope"), 404,
                    "not_found");
}

TEST(ApiHttp, WrongMethodIs405WithAllowHeader) {
  TempDir dir;
  Agent agent(dir);
  auto response = http_request(UnixTarget{agent.socket()}, "DELETE", "/api/v1/status");
  expect_json_error(response, 405, "method_not_allowed");
  EXPECT_NE(response->headers["allow"].find("GET"), std::string::npos);
}

TEST(ApiHttp, MalformedJsonBodyIs400AndNothingIsJournaled) {
  TempDir dir;
  Agent agent(dir);
  expect_json_error(http_request(UnixTarget{agent.socket()}, "POST", "/api/v1/events",
                                 R"({"message": "unterminated)"),
                    400, "invalid_argument");
  auto events = http_request(UnixTarget{agent.socket()}, "GET", "/api/v1/events?kind=note");
  ASSERT_TRUE(events);
  EXPECT_TRUE(json::parse(events->body)["events"].empty());
}

TEST(ApiHttp, OversizedBodyIs413) {
  TempDir dir;
  Agent agent(dir, {.extra_args = {"--api-body-limit", "4096"}});
  std::string big = R"({"message":")" + std::string(10000, 'x') + R"("})";
  expect_json_error(http_request(UnixTarget{agent.socket()}, "POST", "/api/v1/events", big), 413,
                    "too_large");
}

TEST(ApiHttp, GarbageRequestGets400NotACrash) {
  TempDir dir;
  Agent agent(dir);
  auto raw = raw_exchange(UnixTarget{agent.socket()}, "\x16\x03\x01 not http at all\r\n\r\n");
  ASSERT_TRUE(raw);
  auto response = parse_response(*raw);
  ASSERT_TRUE(response) << *raw;
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(agent.process().running());
}

TEST(ApiHttp, BadQueryParameterIs400NamingIt) {
  TempDir dir;
  Agent agent(dir);
  auto response = http_request(UnixTarget{agent.socket()}, "GET", "/api/v1/events?limit=lots");
  expect_json_error(response, 400, "invalid_argument");
  EXPECT_NE(response->body.find("limit"), std::string::npos);
}

TEST(ApiAuth, MutatingRouteOverTcpNeedsTheToken) {
  TokenAgent t;
  std::string note = R"({"message":"maintenance"})";
  expect_json_error(http_request(t.tcp(), "POST", "/api/v1/events", note), 401, "unauthorized");
  expect_json_error(http_request(t.tcp(), "POST", "/api/v1/events", note,
                                 {{"Authorization", "Bearer wrong-horse"}}),
                    401, "unauthorized");
  auto ok = http_request(t.tcp(), "POST", "/api/v1/events", note,
                         {{"Authorization", "Bearer correct-horse"}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201) << ok->body;
  EXPECT_EQ(json::parse(ok->body)["event"]["actor"].get<std::string>().rfind("api:tcp", 0), 0u);
}

TEST(ApiAuth, ReadRoutesOverTcpNeedNoTokenButUnixSocketIsTrusted) {
  TokenAgent t;
  auto status = http_request(t.tcp(), "GET", "/api/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 200);
  auto note = http_request(UnixTarget{t.agent->socket()}, "POST", "/api/v1/events",
                           R"({"message":"from the socket"})");
  ASSERT_TRUE(note);
  EXPECT_EQ(note->status, 201) << note->body;
}

TEST(ApiAuth, TcpMutationWithoutAnyTokenFileIsRefusedWithHint) {
  TempDir dir;
  Agent agent(dir);
  auto response = http_request(TcpTarget{"127.0.0.1", agent.api_port()}, "POST", "/api/v1/reload");
  expect_json_error(response, 401, "unauthorized");
  EXPECT_NE(response->body.find("api-token"), std::string::npos) << response->body;
}

TEST(ApiMetrics, ServesPrometheusTextFormat) {
  TempDir dir;
  Agent agent(dir);
  auto response = http_request(TcpTarget{"127.0.0.1", agent.api_port()}, "GET", "/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response->body.find("# TYPE constellation_build_info gauge"), std::string::npos);
  EXPECT_EQ(response->body.back(), '\n');
}

TEST(ApiHelp, ListsEveryRouteFromTheTable) {
  TempDir dir;
  Agent agent(dir);
  auto response = http_request(UnixTarget{agent.socket()}, "GET", "/api/v1/help");
  ASSERT_TRUE(response);
  auto routes = json::parse(response->body)["routes"];
  std::set<std::string> paths;
  for (const auto& route : routes) paths.insert(route["path"].get<std::string>());
  for (auto path : {"/health", "/metrics", "/api/v1/status", "/api/v1/events", "/api/v1/help",
                    "/api/v1/reload", "/ws"})
    EXPECT_TRUE(paths.count(path)) << path;
}
