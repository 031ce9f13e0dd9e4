// Everything the API's sessions share, in one object owned jointly (shared_ptr) by the
// ApiServer and every live session, so a session outliving the server (its coroutine frame
// destroyed with the io_context) never touches freed memory. Loop thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "agent/api/api_context.hpp"
#include "agent/api/dispatcher.hpp"
#include "agent/api/metrics.hpp"
#include "agent/api/ws_hub.hpp"

namespace constellation::api {

class Session;

/// Per-connection limits, from the configuration.
struct SessionLimits {
  std::size_t body_limit = 1 << 20;                   ///< api_body_limit
  std::chrono::milliseconds request_timeout{10'000};  ///< api_request_timeout
  std::size_t header_limit = 16 * 1024;
};

struct ServerState {
  /// Builds the route table from `context` and the hub (queue limit, node for hello).
  ServerState(ApiContext context, std::string node, std::optional<std::string> token,
              std::string token_path, SessionLimits limits, std::size_t ws_queue_limit);

  ApiContext context;
  Metrics metrics;  // before the dispatcher: the dispatcher and handlers point at it
  WsHub hub;
  Dispatcher dispatcher;
  SessionLimits limits;
  std::map<std::uint64_t, std::weak_ptr<Session>> sessions;  ///< live connections
  std::uint64_t next_session = 1;
  bool stopping = false;
};

}  // namespace constellation::api
