// Agent address parsing: unix sockets in their spellings, TCP with and without a scheme,
// IPv6, and errors that name the input and the accepted forms.
#include <gtest/gtest.h>

#include "console/client/address.hpp"

namespace constellation::console {
namespace {

TEST(AgentAddress, UnixSocketPathsInEverySpelling) {
  for (const char* text : {"/run/constellation/agent.sock", "unix:/run/constellation/agent.sock",
                           "unix:///run/constellation/agent.sock"}) {
    auto address = parse_agent_address(text);
    ASSERT_TRUE(address) << text;
    EXPECT_TRUE(address->is_unix());
    EXPECT_EQ(address->socket_path, "/run/constellation/agent.sock");
    EXPECT_EQ(address->text, text);
    EXPECT_EQ(address->base_url(), "http://localhost");
  }
}

TEST(AgentAddress, TcpWithAndWithoutScheme) {
  auto a = parse_agent_address("http://127.0.0.1:8080/");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->is_unix());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  EXPECT_EQ(a->base_url(), "http://127.0.0.1:8080");
  auto b = parse_agent_address("localhost:9000");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "localhost");
  EXPECT_EQ(b->port, 9000);
  auto c = parse_agent_address(":8080");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "127.0.0.1");
}

TEST(AgentAddress, Ipv6IsBracketedInTheUrl) {
  auto address = parse_agent_address("http://[::1]:8080");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->host, "::1");
  EXPECT_EQ(address->base_url(), "http://[::1]:8080");
}

TEST(AgentAddress, RejectsBadInputNamingItAndTheAcceptedForms) {
  for (const char* text : {"", "relative.sock", "http://host", "host:99999", "host:http",
                           "https://h:1", "unix:relative"}) {
    auto address = parse_agent_address(text);
    ASSERT_FALSE(address) << text;
    EXPECT_EQ(address.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(address.error().message.find("'" + std::string(text) + "'"), std::string::npos)
        << address.error().message;
    EXPECT_NE(address.error().message.find("http://HOST:PORT"), std::string::npos);
  }
}

TEST(AgentUnreachable, IsOneLineNamingAddressReasonAndWhatToDo) {
  Error error = agent_unreachable("/tmp/x.sock", "connection refused");
  EXPECT_EQ(error.code, ErrorCode::unavailable);
  EXPECT_EQ(error.message,
            "cannot reach the agent at /tmp/x.sock: connection refused (is `constellation agent` "
            "running? set --agent or CONSTELLATION_AGENT)");
}

}  // namespace
}  // namespace constellation::console
