// One client connection (unix socket or TCP): HTTP/1.1 with keep-alive, limits and the
// request timeout, and the upgrade to a WebSocket fed from the WsHub. This is the API's only
// Beast translation unit. Sessions run on the loop thread and own themselves (shared_ptr held
// by their coroutines); the ServerState's session map holds weak references for stop().
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "agent/api/http_types.hpp"
#include "agent/api/server_state.hpp"
#include "shared/asio.hpp"

namespace constellation::api {

class Session {
 public:
  virtual ~Session() = default;
  /// Ends the connection: WebSocket clients get a close frame (bounded by a short timeout),
  /// HTTP connections are closed. Safe to call more than once.
  virtual void close() = 0;
};

/// Serves `socket` until the peer leaves, the request timeout fires, or close() is called.
/// `peer_address` is the TCP peer's IP ("" on the unix socket).
void start_session(std::shared_ptr<ServerState> state,
                   asio::generic::stream_protocol::socket socket, PeerKind peer,
                   std::string peer_address);

/// Parses one complete HTTP/1.x request from raw bytes with the server's parser and limits
/// (body over `body_limit` -> too_large; malformed or incomplete -> invalid_argument naming
/// the parse error). Used by the fuzz target and tests; the server parses incrementally.
Result<Request> parse_http_request(std::string_view bytes, std::size_t body_limit);

}  // namespace constellation::api
