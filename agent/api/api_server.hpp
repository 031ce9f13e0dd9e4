// The agent's REST + WebSocket server: listens on the unix socket (trusted, mode 0660) and on
// TCP (bearer token for mutations), hands each connection to a Session, and owns the route
// table, the metrics registry and the WebSocket hub. Loop thread only: construct, start, stop
// and call every accessor on the thread running `loop`. Errors are values, never exceptions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "agent/api/api_context.hpp"
#include "agent/api/metrics.hpp"
#include "agent/api/ws_hub.hpp"
#include "agent/config/config.hpp"
#include "shared/asio.hpp"

namespace constellation::api {

struct ServerState;

class ApiServer {
 public:
  /// `token` is the content of SECRETS_PATH/api-token (nullopt: no token file). Nothing is
  /// bound until start(). The token is never logged.
  ApiServer(asio::io_context& loop, const config::Config& config, std::optional<std::string> token,
            ApiContext context);
  /// Stops if still running. Sessions still parked in `loop` keep the shared state alive.
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  /// Binds the unix socket config.socket_path (parent directory created, mode 0660; a stale
  /// socket file is replaced; a socket a live agent answers on is refused with "another
  /// agent is listening on PATH") and TCP config.api (port 0 = ephemeral). A non-loopback TCP
  /// host without a token is bad_config. Errors name the address. On error nothing stays bound.
  Status start();
  /// Closes the listeners and every connection (WebSocket clients get a close frame) and
  /// removes the socket file. Returns at once; closes complete on the loop. Idempotent.
  void stop();

  Metrics& metrics();
  WsHub& hub();
  /// The bound TCP port (the ephemeral one when config.api.port is 0); 0 before start().
  std::uint16_t tcp_port() const { return tcp_port_; }

 private:
  using Acceptor = asio::basic_socket_acceptor<asio::generic::stream_protocol>;
  Status listen_unix();
  Status listen_tcp();
  void accept_on(std::shared_ptr<Acceptor> acceptor, bool tcp);
  void close_listeners();

  asio::io_context& loop_;
  config::Config config_;
  bool has_token_;
  std::shared_ptr<ServerState> state_;
  std::shared_ptr<Acceptor> unix_acceptor_;
  std::shared_ptr<Acceptor> tcp_acceptor_;
  std::uint16_t tcp_port_ = 0;
  bool owns_socket_file_ = false;
};

}  // namespace constellation::api
