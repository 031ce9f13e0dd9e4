// A Dispatcher over the real route table and a FakeAgent, plus a synchronous way to run one
// request through it, for the sans-IO tests.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "agent/api/dispatcher.hpp"
#include "agent/api/handlers.hpp"
#include "tests/unit/api/fake_agent.hpp"

namespace constellation::api::testing {

inline constexpr std::string_view kTokenPath = "/etc/constellation/secrets/api-token";

struct DispatchFixture {
  explicit DispatchFixture(std::optional<std::string> token = std::nullopt)
      : dispatcher(make_routes(HandlerDeps{agent.context(), "alpha", &metrics}),
                   Auth(std::move(token), std::string(kTokenPath)), metrics) {}

  /// Runs one request to completion on a private io_context.
  Response run(Request request) {
    asio::io_context io;
    std::optional<Response> response;
    asio::co_spawn(io, dispatcher.dispatch(std::move(request)),
                   [&](std::exception_ptr, Response r) { response = std::move(r); });
    io.run();
    return response.value();
  }

  Response call(std::string method, std::string target, std::string body = "",
                PeerKind peer = PeerKind::unix_socket, std::string authorization = "") {
    Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.peer = peer;
    request.peer_address = peer == PeerKind::tcp ? "127.0.0.1" : "";
    request.authorization = std::move(authorization);
    return run(std::move(request));
  }

  FakeAgent agent;
  Metrics metrics;
  Dispatcher dispatcher;
};

/// The parsed body of a response (discarded JSON if it is not JSON).
inline nlohmann::json body_of(const Response& response) {
  return nlohmann::json::parse(response.body, nullptr, false);
}

/// The error code name in an error body, "" if there is none.
inline std::string error_code_of(const Response& response) {
  auto body = body_of(response);
  if (!body.is_object() || !body.contains("error")) return "";
  return body["error"].value("code", "");
}

inline std::string error_message_of(const Response& response) {
  auto body = body_of(response);
  if (!body.is_object() || !body.contains("error")) return "";
  return body["error"].value("message", "");
}

}  // namespace constellation::api::testing
