// Egress checks of a real agent, with the trace document and the public-IP endpoints served by
// a local server: the WARP monitor runs because a warp-nat-gateway container exists on the
// private engine, fetches the trace from inside that container (the server sees the
// container's address), reports warp=off as a /health problem with warp.down and recovers
// with warp.up; public-IP detection skips an invalid answer and takes the next valid one.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/docker/docker_environment.hpp"
#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"

namespace constellation::testing {
namespace {

using nlohmann::json;

/// A one-thread HTTP/1.0 server on `ip` (127.0.0.1 by default): GET PATH answers 200 with
/// bodies[PATH], or 404. It remembers the address of every client.
class LocalHttpServer {
 public:
  explicit LocalHttpServer(const std::string& ip = "127.0.0.1") : ip_(ip) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    ::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::listen(fd_, 16);
    timeval tv{0, 100000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    thread_ = std::thread([this] { serve(); });
  }
  ~LocalHttpServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string url(const std::string& path) const {
    return "http://" + ip_ + ":" + std::to_string(port_) + path;
  }
  void set(const std::string& path, const std::string& body) {
    std::lock_guard lock(mutex_);
    bodies_[path] = body;
  }
  std::set<std::string> clients() {
    std::lock_guard lock(mutex_);
    return clients_;
  }

 private:
  void serve() {
    while (!stop_) {
      sockaddr_in peer{};
      socklen_t peer_len = sizeof peer;
      int client = ::accept(fd_, reinterpret_cast<sockaddr*>(&peer), &peer_len);
      if (client < 0) continue;
      char peer_ip[INET_ADDRSTRLEN] = {};
      ::inet_ntop(AF_INET, &peer.sin_addr, peer_ip, sizeof peer_ip);
      char buffer[2048];
      auto n = ::recv(client, buffer, sizeof buffer - 1, 0);
      std::string request(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
      auto start = request.find(' ') + 1;
      auto path = request.substr(start, request.find(' ', start) - start);
      std::string body, status = "404 Not Found";
      {
        std::lock_guard lock(mutex_);
        clients_.insert(peer_ip);
        if (auto it = bodies_.find(path); it != bodies_.end()) {
          body = it->second;
          status = "200 OK";
        }
      }
      std::string response = "HTTP/1.0 " + status + "\r\nContent-Type: text/plain\r\n" +
                             "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      (void)::send(client, response.data(), response.size(), MSG_NOSIGNAL);
      ::close(client);
    }
  }

  std::string ip_;
  int fd_ = -1;
  int port_ = 0;
  std::set<std::string> clients_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::map<std::string, std::string> bodies_;
  std::thread thread_;
};

std::optional<json> status_of(const Agent& agent) {
  auto response = http_request(UnixTarget{agent.socket()}, "GET", "/api/v1/status");
  if (!response || response->status != 200) return std::nullopt;
  return json::parse(response->body, nullptr, false);
}

bool has_event(const Agent& agent, const std::string& kind) {
  auto response = http_request(UnixTarget{agent.socket()}, "GET", "/api/v1/events?kind=" + kind);
  return response && response->status == 200 && !json::parse(response->body)["events"].empty();
}

TEST(AgentEgress, WarpMonitorFlagsAnEgressOutsideWarpAndPublicIpTakesTheFirstValidAnswer) {
  ASSERT_NE(engine(), nullptr);
  // The gateway container sits on a network of its own; the trace server listens on that
  // network's host-side address, so the container reaches it and the container's address is
  // what the server sees. The public-IP endpoints are fetched by the agent on the host.
  auto client = engine_client();
  const std::string gateway_net = unique_name("warp-gw-net");
  ASSERT_TRUE(client
                  .create_network(docker::NetworkSpec{
                      .name = gateway_net,
                      .pools = {{.subnet = test_subnet(18), .gateway = test_gateway(18)}}})
                  .has_value());
  auto gateway = client.create_container(
      "warp-nat-gateway",
      docker::ContainerSpec{.image = kTestImage,
                            .cmd = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"},
                            .labels = {{"constellation.test", unique_name("warp")}},
                            .network_mode = gateway_net});
  ASSERT_TRUE(gateway.has_value()) << gateway.error().message;
  ASSERT_TRUE(client.start_container(*gateway).has_value());
  LocalHttpServer trace_server(test_gateway(18));
  trace_server.set("/cdn-cgi/trace", "fl=1\nip=203.0.113.5\nwarp=on\ngateway=off\n");
  LocalHttpServer server;
  server.set("/garbage", "<html>rate limited</html>");
  server.set("/ip", "198.51.100.23\n");

  TempDir dir;
  Agent agent(dir, {.node = "warp-1",
                    .extra_args = {"--docker-host", engine()->docker_host(), "--docker-networks",
                                   unique_name("egress-net") + "=" + test_subnet(15),
                                   "--warp-trace-url", trace_server.url("/cdn-cgi/trace"),
                                   "--warp-interval", "1s", "--public-ip-endpoints",
                                   server.url("/garbage") + "," + server.url("/ip")},
                    .env = {},
                    .wait_ready = false});
  ASSERT_TRUE(eventually([&] {
    auto status = status_of(agent);
    return status && (*status)["egress"]["warp"]["node"] == true &&
           (*status)["egress"]["warp"]["ok"] == true &&
           (*status)["egress"]["public_ip"] == "198.51.100.23";
  })) << agent.process().log();
  const auto clients = trace_server.clients();
  ASSERT_EQ(clients.size(), 1u);
  EXPECT_EQ(clients.begin()->rfind(test_gateway(18).substr(0, test_gateway(18).size() - 1), 0), 0u)
      << "the trace was fetched from " << *clients.begin() << ", not from the gateway container";
  EXPECT_NE(*clients.begin(), test_gateway(18));

  trace_server.set("/cdn-cgi/trace", "fl=1\nwarp=off\n");
  ASSERT_TRUE(eventually([&] {
    auto health = http_request(UnixTarget{agent.socket()}, "GET", "/health");
    return health && health->status == 503 && health->body.find("warp=off") != std::string::npos;
  }));
  EXPECT_TRUE(has_event(agent, "warp.down"));

  trace_server.set("/cdn-cgi/trace", "warp=plus\n");
  ASSERT_TRUE(eventually([&] { return has_event(agent, "warp.up"); }));
  auto health = http_request(UnixTarget{agent.socket()}, "GET", "/health");
  ASSERT_TRUE(health.has_value());
  EXPECT_EQ(health->status, 200) << health->body;

  EXPECT_EQ(agent.stop(), 0);
  EXPECT_TRUE(client.remove_container(*gateway, true).has_value());
  (void)client.remove_network(unique_name("egress-net"));
  (void)client.remove_network(gateway_net);
}

// Declared checks need no Docker; they live here to share the local HTTP server.
TEST(AgentChecks, DeclaredHttpAndTcpChecksFlipWithTheServicesAndAreJournaled) {
  LocalHttpServer server;
  server.set("/healthz", "ok");
  const int tcp_port = free_port();
  TempDir dir;
  Agent agent(
      dir, {.node = "checks-1",
            .extra_args = {"--service-checks", "web=" + server.url("/healthz") + ";interval=200ms",
                           "--service-checks",
                           "db=tcp://127.0.0.1:" + std::to_string(tcp_port) +
                               ";interval=200ms;timeout=500ms"},
            .env = {},
            .wait_ready = false});
  auto check_status = [&](const std::string& name) -> std::string {
    auto status = status_of(agent);
    if (!status || !status->is_object()) return "";
    for (const auto& check : (*status)["checks"])
      if (check["name"] == name) return check["status"];
    return "";
  };
  ASSERT_TRUE(eventually([&] { return check_status("web") == "healthy"; }))
      << agent.process().log();
  ASSERT_TRUE(eventually([&] { return check_status("db") == "unhealthy"; }));

  server.set("/healthz", "");  // still 200 with an empty body: healthy
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(tcp_port));
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 16), 0);
  ASSERT_TRUE(eventually([&] { return check_status("db") == "healthy"; }));
  ::close(listener);
  ASSERT_TRUE(eventually([&] { return check_status("db") == "unhealthy"; }));

  auto events = http_request(UnixTarget{agent.socket()}, "GET",
                             "/api/v1/events?kind=service.health_changed&subject=db");
  ASSERT_TRUE(events.has_value());
  auto list = json::parse(events->body)["events"];
  ASSERT_GE(list.size(), 2u);
  EXPECT_EQ(list[0]["detail"]["from"], "unhealthy");
  EXPECT_EQ(list[0]["detail"]["to"], "healthy");
  EXPECT_EQ(list[1]["detail"]["to"], "unhealthy");
  EXPECT_EQ(agent.stop(), 0);
}

TEST(AgentChecks, AMalformedCheckStopsStartUpNamingIt) {
  TempDir dir;
  auto result = run_cli({"agent", "--node", "bad", "--data-dir", dir.file("d"), "--socket",
                         dir.file("a.sock"), "--api", "127.0.0.1:0", "--gossip", "127.0.0.1:0",
                         "--docker=false", "--service-checks", "web=ftp://nope"},
                        {}, std::chrono::seconds(20));
  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find("web=ftp://nope"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace constellation::testing
