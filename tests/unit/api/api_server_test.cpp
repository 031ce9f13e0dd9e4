// The real ApiServer on an io_context in its own thread, with a fake agent behind it, talked
// to by Beast clients over the unix socket and TCP: keep-alive, limits, the request timeout,
// WebSocket ordering, shutdown, and socket-file hygiene.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <filesystem>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "agent/api/api_server.hpp"
#include "tests/unit/api/fake_agent.hpp"
#include "tests/unit/api/test_client.hpp"

namespace constellation::api::testing {
namespace {

namespace fs = std::filesystem;

struct ServerOptions {
  std::optional<std::string> token = std::nullopt;
  std::int64_t body_limit = 1 << 20;
  std::chrono::milliseconds request_timeout{10'000};
  std::string host = "127.0.0.1";
  bool stale_socket_first = false;
};

std::string make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "api-test-XXXXXX").string();
  char* made = ::mkdtemp(pattern.data());
  return made ? std::string(made) : std::string();
}

/// Leaves a socket file nobody listens on, as a killed agent would.
void leave_stale_socket(const std::string& path) {
  fs::create_directories(fs::path(path).parent_path());
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, sizeof address.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ::close(fd);
}

class Server {
 public:
  explicit Server(ServerOptions options = {}) : dir_(make_temp_dir()) {
    config.node = "alpha";
    config.socket_path = dir_ + "/run/agent.sock";
    config.secrets_path = dir_ + "/secrets";
    config.api = {options.host, 0};
    config.api_body_limit = options.body_limit;
    config.api_request_timeout = options.request_timeout;
    config.ws_queue_limit = 64;
    if (options.stale_socket_first) leave_stale_socket(config.socket_path);
    agent.post_to = io_.get_executor();
    agent.on_stored = [this](const Event& event) { server->hub().broadcast(event); };
    server = std::make_unique<ApiServer>(io_, config, options.token, agent.context());
    started = server->start();
    if (started) thread_ = std::thread([this] { io_.run(); });
  }

  ~Server() {
    if (thread_.joinable()) {
      asio::post(io_, [this] { server->stop(); });
      guard_.reset();
      thread_.join();
    }
    server.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  /// Runs `f` on the loop thread and waits for it.
  template <typename F>
  auto on_loop(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    return result.get();
  }

  Target unix_target() const { return {config.socket_path, 0}; }
  Target tcp_target() const { return {"", server->tcp_port()}; }

  config::Config config;
  FakeAgent agent;
  std::unique_ptr<ApiServer> server;
  Status started;

 private:
  std::string dir_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_{io_.get_executor()};
  std::thread thread_;
};

nlohmann::json json_of(const std::optional<Reply>& reply) {
  return reply ? nlohmann::json::parse(reply->body, nullptr, false) : nlohmann::json();
}

class BothListeners : public ::testing::TestWithParam<bool> {
 protected:
  Target target(const Server& server) const {
    return GetParam() ? server.tcp_target() : server.unix_target();
  }
};

TEST_P(BothListeners, KeepAliveServesTwoRequestsOnOneConnection) {
  Server server;
  ASSERT_TRUE(server.started) << server.started.error().message;
  HttpConnection connection(target(server));
  auto health = connection.request("GET", "/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json_of(health)["status"], "ok");
  auto status = connection.request("GET", "/api/v1/status");
  ASSERT_TRUE(status) << "second request on the same connection got no answer";
  EXPECT_EQ(status->status, 200);
  EXPECT_EQ(status->headers["content-type"], "application/json");
  EXPECT_EQ(json_of(status)["node"], "alpha");
}

TEST_P(BothListeners, WebSocketSendsHelloSnapshotThenEventsInOrder) {
  Server server;
  ASSERT_TRUE(server.started) << server.started.error().message;
  WsConnection ws(target(server));
  ASSERT_TRUE(ws.open());
  auto hello = ws.next();
  ASSERT_TRUE(hello);
  EXPECT_EQ((*hello)["type"], "hello");
  EXPECT_EQ((*hello)["node"], "alpha");
  auto snapshot = ws.next();
  ASSERT_TRUE(snapshot);
  ASSERT_EQ((*snapshot)["type"], "snapshot");
  EXPECT_EQ((*snapshot)["status"]["node"], "alpha");
  std::int64_t seq = (*snapshot)["seq"];

  HttpConnection http(server.unix_target());
  for (int i = 0; i < 3; ++i) {
    auto posted = http.request("POST", "/api/v1/events",
                               nlohmann::json{{"message", "n" + std::to_string(i)}}.dump());
    ASSERT_TRUE(posted);
    ASSERT_EQ(posted->status, 201) << posted->body;
  }
  for (int i = 0; i < 3; ++i) {
    auto event = ws.next();
    ASSERT_TRUE(event);
    EXPECT_EQ((*event)["type"], "event");
    EXPECT_EQ((*event)["seq"], ++seq);
    EXPECT_EQ((*event)["event"]["detail"]["message"], "n" + std::to_string(i));
  }
  ws.send({{"type", "ping"}, {"id", 7}});
  auto pong = ws.next();
  ASSERT_TRUE(pong);
  EXPECT_EQ((*pong)["type"], "pong");
  EXPECT_EQ((*pong)["id"], 7);
  EXPECT_EQ(server.on_loop([&] { return server.server->hub().client_count(); }), 1u);
}

INSTANTIATE_TEST_SUITE_P(ApiServer, BothListeners, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "tcp" : "unix"; });

TEST(ApiServer, ConnectionCloseRequestEndsTheConnectionAfterTheReply) {
  Server server;
  ASSERT_TRUE(server.started);
  HttpConnection connection(server.tcp_target());
  auto reply = connection.request("GET", "/health", "", {{"Connection", "close"}});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_TRUE(connection.closed_by_server());
}

TEST(ApiServer, OversizedBodyIs413AndTheConnectionCloses) {
  Server server({.body_limit = 1024});
  ASSERT_TRUE(server.started);
  HttpConnection connection(server.unix_target());
  auto reply = connection.request("POST", "/api/v1/events",
                                  nlohmann::json{{"message", std::string(4096, 'x')}}.dump());
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(json_of(reply)["error"]["code"], "too_large");
  EXPECT_NE(json_of(reply)["error"]["message"].get<std::string>().find("1024"), std::string::npos);
  EXPECT_TRUE(connection.closed_by_server());
  EXPECT_TRUE(server.on_loop([&] { return server.agent.journal.empty(); }));
}

TEST(ApiServer, IdleHalfSentRequestIsClosedByTheRequestTimeout) {
  Server server({.request_timeout = std::chrono::milliseconds(200)});
  ASSERT_TRUE(server.started);
  HttpConnection connection(server.tcp_target());
  ASSERT_TRUE(connection.send_raw("GET /health HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_TRUE(connection.closed_by_server());
}

TEST(ApiServer, MalformedRequestGets400AndClose) {
  Server server;
  ASSERT_TRUE(server.started);
  HttpConnection connection(server.unix_target());
  ASSERT_TRUE(connection.send_raw("\x16\x03\x01 not http at all\r\n\r\n"));
  auto reply = connection.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 400);
  EXPECT_EQ(json_of(reply)["error"]["code"], "invalid_argument");
  EXPECT_TRUE(connection.closed_by_server());
}

TEST(ApiServer, ExpectContinueGetsInterimReplyThenTheAnswer) {
  Server server;
  ASSERT_TRUE(server.started);
  HttpConnection connection(server.unix_target());
  std::string body = R"({"message":"with expect"})";
  ASSERT_TRUE(connection.send_raw(
      "POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = connection.read_reply();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(connection.send_raw(body));
  auto reply = connection.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 201) << reply->body;
}

TEST(ApiServer, TcpMutationNeedsTheTokenAndRecordsThePeer) {
  Server server({.token = "s3cret"});
  ASSERT_TRUE(server.started);
  HttpConnection connection(server.tcp_target());
  std::string note = R"({"message":"maintenance"})";
  auto refused = connection.request("POST", "/api/v1/events", note);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  auto accepted =
      connection.request("POST", "/api/v1/events", note, {{"Authorization", "Bearer s3cret"}});
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 201) << accepted->body;
  EXPECT_EQ(json_of(accepted)["event"]["actor"], "api:tcp:127.0.0.1");
}

TEST(ApiServer, WebSocketUpgradeWithWrongTokenIsRefused) {
  Server server({.token = "s3cret"});
  ASSERT_TRUE(server.started);
  HttpConnection connection(server.tcp_target());
  auto reply = connection.request("GET", "/ws", "",
                                  {{"Connection", "Upgrade"},
                                   {"Upgrade", "websocket"},
                                   {"Sec-WebSocket-Version", "13"},
                                   {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                   {"Authorization", "Bearer wrong"}});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 401);
}

TEST(ApiServer, StopSendsWebSocketCloseFrameAndRemovesTheSocketFile) {
  Server server;
  ASSERT_TRUE(server.started);
  WsConnection ws(server.unix_target());
  ASSERT_TRUE(ws.next());
  ASSERT_TRUE(ws.next());
  server.on_loop([&] {
    server.server->stop();
    return 0;
  });
  EXPECT_EQ(ws.wait_for_close(), 1001);  // going away
  EXPECT_FALSE(fs::exists(server.config.socket_path));
}

TEST(ApiServer, SocketFileIsCreatedWithMode0660) {
  Server server;
  ASSERT_TRUE(server.started);
  struct stat info {};
  ASSERT_EQ(::stat(server.config.socket_path.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0660u);
}

TEST(ApiServer, StaleSocketFileIsReplaced) {
  Server server({.stale_socket_first = true});
  ASSERT_TRUE(server.started) << server.started.error().message;
  HttpConnection connection(server.unix_target());
  auto reply = connection.request("GET", "/health");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
}

TEST(ApiServer, SocketALiveAgentAnswersOnIsRefused) {
  Server first;
  ASSERT_TRUE(first.started);
  asio::io_context other;
  FakeAgent agent;
  ApiServer second(other, first.config, std::nullopt, agent.context());
  auto started = second.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(
      started.error().message.find("another agent is listening on " + first.config.socket_path), 0u)
      << started.error().message;
  HttpConnection connection(first.unix_target());
  auto reply = connection.request("GET", "/health");
  ASSERT_TRUE(reply) << "the refused server must not disturb the running one";
  EXPECT_EQ(reply->status, 200);
}

TEST(ApiServer, NonLoopbackTcpWithoutTokenIsBadConfigAndBindsNothing) {
  Server server({.host = "0.0.0.0"});
  ASSERT_FALSE(server.started);
  EXPECT_EQ(server.started.error().code, ErrorCode::bad_config);
  EXPECT_NE(server.started.error().message.find("0.0.0.0:0"), std::string::npos)
      << server.started.error().message;
  EXPECT_NE(server.started.error().message.find(server.config.secrets_path + "/api-token"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(server.config.socket_path));
}

TEST(ApiServer, MetricsCountRequestsAndWebSocketClients) {
  Server server;
  ASSERT_TRUE(server.started);
  WsConnection ws(server.unix_target());
  ASSERT_TRUE(ws.next());
  HttpConnection connection(server.tcp_target());
  ASSERT_TRUE(connection.request("GET", "/health"));
  auto metrics = connection.request("GET", "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics->body.find("constellation_ws_clients 1\n"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find(R"(constellation_api_requests_total{code="101",route="/ws"} 1)"),
            std::string::npos);
  EXPECT_NE(metrics->body.find(R"(constellation_api_requests_total{code="200",route="/health"} 1)"),
            std::string::npos);
}

}  // namespace
}  // namespace constellation::api::testing
