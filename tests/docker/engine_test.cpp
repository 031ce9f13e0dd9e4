// Reaching the engine: ping and version negotiation against the real dockerd, and the
// errors an operator sees when the socket is missing, forbidden or the engine hangs.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/docker/docker_environment.hpp"

namespace constellation::testing {
namespace {

using namespace std::chrono_literals;

TEST(DockerEngine, PingNegotiatesTheLowerOfTheEnginesAndOurVersion) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  EXPECT_FALSE(client.api_version().has_value());
  auto ping = client.ping();
  ASSERT_TRUE(ping.has_value()) << ping.error().message;
  EXPECT_EQ(ping->negotiated, std::min(ping->engine, docker::kClientMaxVersion));
  EXPECT_GE(ping->negotiated, docker::kClientMinVersion);
  EXPECT_EQ(ping->server.rfind("Docker/", 0), 0u) << ping->server;
  ASSERT_TRUE(client.api_version().has_value());
  EXPECT_EQ(*client.api_version(), ping->negotiated);
}

TEST(DockerEngine, CallsNegotiateOnFirstUseWithoutAnExplicitPing) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  auto list = client.list_containers(true);
  ASSERT_TRUE(list.has_value()) << list.error().message;
  EXPECT_TRUE(client.api_version().has_value());
}

TEST(DockerEngine, MissingSocketIsUnavailableAndNamesThePath) {
  docker::DockerClient client(docker::DockerHost{
      .unix_socket = "/tmp/cdk-missing/docker.sock", .tcp_host = {}, .tcp_port = 0});
  auto ping = client.ping();
  ASSERT_FALSE(ping.has_value());
  EXPECT_EQ(ping.error().code, ErrorCode::unavailable);
  EXPECT_EQ(ping.error().message.rfind("cannot reach Docker at /tmp/cdk-missing/docker.sock", 0),
            0u)
      << ping.error().message;
}

TEST(DockerEngine, PermissionDeniedNamesTheSocketAndTheGroupFix) {
  ASSERT_NE(engine(), nullptr);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    // As nobody, the root-owned engine directory and socket are off limits.
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
    auto ping = engine_client().ping();
    std::string out = ping ? std::string("connected") : ping.error().message;
    (void)!::write(fds[1], out.data(), out.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string message;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) message.append(buf, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(message.find("permission denied on the Docker socket " + engine()->socket_path()),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("group"), std::string::npos) << message;
}

TEST(DockerEngine, AHungEngineTimesOutWithinTheRequestBound) {
  // A listener that never accepts: the TCP handshake completes, no answer ever comes.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  auto host = docker::parse_docker_host("tcp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
  ASSERT_TRUE(host.has_value());
  docker::DockerClient client(*host,
                              docker::Timeouts{.connect = 2s, .request = 300ms, .build = 300ms});
  auto ping = client.ping();
  ::close(fd);
  ASSERT_FALSE(ping.has_value());
  EXPECT_EQ(ping.error().code, ErrorCode::timeout);
  EXPECT_NE(ping.error().message.find("did not answer GET /_ping"), std::string::npos)
      << ping.error().message;
}

}  // namespace
}  // namespace constellation::testing
