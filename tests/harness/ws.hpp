// A WebSocket test client (Boost.Beast, synchronous) over a unix socket or TCP, reading the
// agent's /ws stream as JSON messages with a deadline.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/harness/http.hpp"

namespace constellation::testing {

class WsClient {
 public:
  /// Connects and performs the upgrade on /ws; throws std::runtime_error on failure.
  explicit WsClient(const Target& target, const std::string& path = "/ws");
  ~WsClient();
  /// The next JSON message, or nullopt after `timeout` or when the connection closes.
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  void send(const nlohmann::json& message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace constellation::testing
