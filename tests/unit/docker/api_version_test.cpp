// Version negotiation and DOCKER_HOST parsing: what the client speaks to which engine, and
// where it connects.
#include <gtest/gtest.h>

#include <cstdlib>

#include "agent/docker/api_version.hpp"
#include "agent/docker/client.hpp"
#include "agent/docker/docker_host.hpp"

namespace constellation::docker {
namespace {

TEST(ApiVersionNegotiation, UsesOurMaximumWithANewerEngine) {
  auto v = negotiate_api_version("1.52");
  ASSERT_TRUE(v.has_value()) << v.error().message;
  EXPECT_EQ(v->str(), "1.47");
}

TEST(ApiVersionNegotiation, UsesTheEnginesVersionWhenOlderThanOurs) {
  auto v = negotiate_api_version("1.41");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->str(), "1.41");
  EXPECT_EQ(negotiate_api_version(" 1.44\r")->str(), "1.44");
}

TEST(ApiVersionNegotiation, RefusesAnEngineBelowOurMinimumNamingBothVersions) {
  auto v = negotiate_api_version("1.40");
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code, ErrorCode::unavailable);
  EXPECT_NE(v.error().message.find("1.40"), std::string::npos) << v.error().message;
  EXPECT_NE(v.error().message.find("1.41"), std::string::npos) << v.error().message;
}

TEST(ApiVersionNegotiation, RefusesAMissingOrGarbledHeader) {
  EXPECT_EQ(negotiate_api_version("").error().code, ErrorCode::unavailable);
  EXPECT_EQ(negotiate_api_version("one.two").error().code, ErrorCode::invalid_argument);
  EXPECT_FALSE(parse_api_version("1.").has_value());
  EXPECT_FALSE(parse_api_version("1.4x").has_value());
}

TEST(ApiVersionNegotiation, ComparesMinorVersionsNumerically) {
  EXPECT_LT(*parse_api_version("1.9"), *parse_api_version("1.41"));
}

TEST(DockerHostParsing, DefaultsToTheStandardSocket) {
  auto h = docker_host_from_env(std::nullopt);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->unix_socket, "/var/run/docker.sock");
  EXPECT_EQ(docker_host_from_env("")->unix_socket, "/var/run/docker.sock");
  EXPECT_EQ(h->base_url(), "http://localhost");
}

TEST(DockerHostParsing, AcceptsUnixAndTcpForms) {
  EXPECT_EQ(parse_docker_host("unix:///tmp/x/docker.sock")->unix_socket, "/tmp/x/docker.sock");
  auto tcp = parse_docker_host("tcp://127.0.0.1:2376");
  ASSERT_TRUE(tcp.has_value());
  EXPECT_FALSE(tcp->is_unix());
  EXPECT_EQ(tcp->base_url(), "http://127.0.0.1:2376");
  EXPECT_EQ(parse_docker_host("tcp://localhost")->tcp_port, 2375);
}

TEST(DockerHostParsing, RejectsUnsupportedSchemesAndBadPorts) {
  for (const char* bad : {"ssh://host", "unix://relative.sock", "tcp://:2375", "tcp://h:0",
                          "tcp://h:99999", "npipe:////./pipe/docker"}) {
    auto h = parse_docker_host(bad);
    ASSERT_FALSE(h.has_value()) << bad;
    EXPECT_EQ(h.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(h.error().message.find(bad), std::string::npos);
  }
  EXPECT_FALSE(parse_docker_host("unix:///" + std::string(120, 'a')).has_value());
}

}  // namespace
}  // namespace constellation::docker

namespace constellation::docker {
namespace {

TEST(DockerClientSetup, HonoursDockerHostFromTheEnvironment) {
  ::setenv("DOCKER_HOST", "tcp://127.0.0.1:2399", 1);
  auto tcp = DockerClient::from_environment();
  ::setenv("DOCKER_HOST", "ftp://nowhere", 1);
  auto bad = DockerClient::from_environment();
  ::unsetenv("DOCKER_HOST");
  auto fallback = DockerClient::from_environment();
  ASSERT_TRUE(tcp.has_value());
  EXPECT_EQ(tcp->host().describe(), "127.0.0.1:2399");
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  ASSERT_TRUE(fallback.has_value());
  EXPECT_EQ(fallback->host().unix_socket, "/var/run/docker.sock");
}

}  // namespace
}  // namespace constellation::docker
