// Who may call what: the full matrix of listener (unix/TCP) x route (read/mutate) x token
// (none sent, wrong, right) x agent token (configured or not), and the 401 hint texts.
#include <gtest/gtest.h>

#include "tests/unit/api/dispatch_helpers.hpp"

namespace constellation::api::testing {
namespace {

enum class Sent { none, wrong, right };

struct Case {
  PeerKind peer;
  bool mutates;
  Sent sent;
  bool agent_has_token;
  int expected;
};

std::string describe(const Case& c) {
  return std::string(c.peer == PeerKind::tcp ? "tcp" : "unix") + (c.mutates ? " mutate" : " read") +
         (c.sent == Sent::none    ? " no-token"
          : c.sent == Sent::wrong ? " wrong"
                                  : " right") +
         (c.agent_has_token ? " (agent has token)" : " (agent has no token)");
}

TEST(ApiAuth, MatrixOfListenerRouteAndTokenDecidesAccess) {
  const Case cases[] = {
      // The unix socket is trusted whatever is sent.
      {PeerKind::unix_socket, false, Sent::none, true, 200},
      {PeerKind::unix_socket, false, Sent::wrong, true, 200},
      {PeerKind::unix_socket, true, Sent::none, true, 200},
      {PeerKind::unix_socket, true, Sent::wrong, true, 200},
      {PeerKind::unix_socket, true, Sent::none, false, 200},
      // TCP reads need no token, but a wrong one is refused.
      {PeerKind::tcp, false, Sent::none, true, 200},
      {PeerKind::tcp, false, Sent::wrong, true, 401},
      {PeerKind::tcp, false, Sent::right, true, 200},
      {PeerKind::tcp, false, Sent::none, false, 200},
      {PeerKind::tcp, false, Sent::wrong, false, 401},
      // TCP mutations need the right token.
      {PeerKind::tcp, true, Sent::none, true, 401},
      {PeerKind::tcp, true, Sent::wrong, true, 401},
      {PeerKind::tcp, true, Sent::right, true, 200},
      {PeerKind::tcp, true, Sent::none, false, 401},
      {PeerKind::tcp, true, Sent::wrong, false, 401},
  };
  for (const auto& c : cases) {
    DispatchFixture f(c.agent_has_token ? std::optional<std::string>("s3cret") : std::nullopt);
    std::string authorization = c.sent == Sent::none    ? ""
                                : c.sent == Sent::wrong ? "Bearer nope"
                                                        : "Bearer s3cret";
    auto response =
        f.call(c.mutates ? "POST" : "GET", c.mutates ? "/api/v1/reload" : "/api/v1/status", "",
               c.peer, authorization);
    EXPECT_EQ(response.status, c.expected) << describe(c) << ": " << response.body;
    if (c.expected == 401) {
      EXPECT_EQ(error_code_of(response), "unauthorized") << describe(c);
      EXPECT_EQ(f.agent.reloads, 0) << describe(c);
    }
  }
}

TEST(ApiAuth, MissingTokenHintSaysHowToAuthenticate) {
  DispatchFixture f("s3cret");
  auto message = error_message_of(f.call("POST", "/api/v1/reload", "", PeerKind::tcp));
  EXPECT_NE(message.find("Authorization: Bearer <token>"), std::string::npos) << message;
  EXPECT_NE(message.find(kTokenPath), std::string::npos) << message;
  EXPECT_NE(message.find("unix socket"), std::string::npos) << message;
}

TEST(ApiAuth, WrongTokenHintSaysTheTokenIsWrongWithoutEchoingIt) {
  DispatchFixture f("s3cret");
  auto response = f.call("GET", "/api/v1/status", "", PeerKind::tcp, "Bearer guess-123");
  auto message = error_message_of(response);
  EXPECT_NE(message.find("wrong"), std::string::npos) << message;
  EXPECT_EQ(response.body.find("guess-123"), std::string::npos);
  EXPECT_EQ(response.body.find("s3cret"), std::string::npos);
}

TEST(ApiAuth, NoTokenFileHintSaysToCreateItOrUseTheSocket) {
  DispatchFixture f;
  auto message =
      error_message_of(f.call("POST", "/api/v1/events", R"({"message":"x"})", PeerKind::tcp));
  EXPECT_NE(message.find("create " + std::string(kTokenPath)), std::string::npos) << message;
  EXPECT_NE(message.find("unix socket"), std::string::npos) << message;
  EXPECT_TRUE(f.agent.journal.empty());
}

TEST(ApiAuth, NonBearerAuthorizationIsRefusedNamingTheExpectedForm) {
  DispatchFixture f("s3cret");
  auto response = f.call("POST", "/api/v1/reload", "", PeerKind::tcp, "Basic dXNlcjpwdw==");
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(error_message_of(response).find("'Bearer <token>'"), std::string::npos);
}

TEST(ApiAuth, BearerSchemeIsCaseInsensitive) {
  DispatchFixture f("s3cret");
  EXPECT_EQ(f.call("POST", "/api/v1/reload", "", PeerKind::tcp, "bearer s3cret").status, 200);
}

TEST(ApiAuth, TcpNoteActorCarriesThePeerAddress) {
  DispatchFixture f("s3cret");
  auto response =
      f.call("POST", "/api/v1/events", R"({"message":"x"})", PeerKind::tcp, "Bearer s3cret");
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(body_of(response)["event"]["actor"], "api:tcp:127.0.0.1");
}

TEST(ConstantTimeEqual, ComparesContentsOfAnyLength) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

}  // namespace
}  // namespace constellation::api::testing
