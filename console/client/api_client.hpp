// The console's only way to the agent: REST requests and the /ws event subscription. An
// interface so commands run against a fake in unit tests; the real one (curl_client.hpp) uses
// libcurl for REST and Beast for the WebSocket, over TCP or the agent's unix socket.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "shared/error.hpp"

namespace constellation::console {

/// A response as received: the HTTP status and the parsed JSON body (null if it had none or
/// was not JSON; `text` keeps the raw body for messages).
struct HttpResponse {
  int status = 0;
  nlohmann::json body;
  std::string text;
};

/// The /ws subscription: one JSON message per call, in the order the agent sent them.
/// Blocking; owned by the caller; not thread-safe.
class EventStream {
 public:
  virtual ~EventStream() = default;
  /// The next message ({"type":"hello"|"snapshot"|"event"|"resync",...}). An unavailable
  /// error when the agent closes the connection or goes away.
  virtual Result<nlohmann::json> next() = 0;
};

/// A client of one agent. Blocking calls; one client per thread.
class ApiClient {
 public:
  virtual ~ApiClient() = default;

  /// Sends one request. Fails only when no HTTP response arrived (agent unreachable:
  /// unavailable; too slow: timeout); any HTTP status is returned as is.
  virtual Result<HttpResponse> send(std::string_view method, std::string_view target,
                                    const nlohmann::json* body) = 0;
  /// Opens the /ws subscription; the hello message is the first `next()`.
  virtual Result<std::unique_ptr<EventStream>> subscribe() = 0;
  /// The address as the operator gave it, for messages.
  virtual std::string address() const = 0;

  /// GET returning the JSON body of a 2xx response, else the server's error.
  Result<nlohmann::json> get(std::string_view target);
  /// POST with a JSON body returning the JSON body of a 2xx response, else the server's error.
  Result<nlohmann::json> post(std::string_view target, const nlohmann::json& body);
};

/// Turns a non-2xx response into an Error: the server's {"error":{"code","message"}} when
/// present, else a message naming the status and the start of the body.
Error error_from_response(const HttpResponse& response);

/// Percent-encodes a query-string value.
std::string url_encode(std::string_view text);

}  // namespace constellation::console
