// Beast WebSocket client for /ws. Templated over the socket type so TCP and the unix socket
// share one implementation; errors are converted to Error values here, at the edge.
#include "console/client/ws_client.hpp"

#include "shared/asio.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "shared/api_paths.hpp"

namespace constellation::console {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using boost::system::error_code;

template <class Socket>
class BeastEventStream final : public EventStream {
 public:
  BeastEventStream(std::unique_ptr<asio::io_context> io, Socket socket, std::string address)
      : io_(std::move(io)), ws_(std::move(socket)), address_(std::move(address)) {}

  ~BeastEventStream() override {
    error_code ignored;
    if (ws_.is_open()) ws_.close(websocket::close_code::normal, ignored);
  }

  Status handshake(const std::optional<std::string>& token, const std::string& host) {
    ws_.set_option(websocket::stream_base::decorator([token](websocket::request_type& request) {
      request.set(beast::http::field::user_agent, "constellation-console");
      if (token) request.set(beast::http::field::authorization, "Bearer " + *token);
    }));
    websocket::response_type response;
    error_code ec;
    ws_.handshake(response, host, std::string(api_paths::ws), ec);
    if (!ec) return {};
    if (response.result_int() == 401)
      return fail(ErrorCode::unauthorized, "the agent at " + address_ +
                                               " refused the WebSocket: unauthorized (use "
                                               "--token-file or the unix socket)");
    if (response.result_int() != 0)
      return fail(ErrorCode::internal, "the agent at " + address_ +
                                           " refused the WebSocket: HTTP " +
                                           std::to_string(response.result_int()));
    return std::unexpected(agent_unreachable(address_, ec.message()));
  }

  Result<nlohmann::json> next() override {
    beast::flat_buffer buffer;
    error_code ec;
    ws_.read(buffer, ec);
    if (ec)
      return fail(ErrorCode::unavailable,
                  "the event stream from the agent at " + address_ + " ended: " + ec.message());
    auto json = nlohmann::json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
    if (json.is_discarded() || !json.is_object())
      return fail(ErrorCode::internal,
                  "the agent at " + address_ + " sent a malformed WebSocket message");
    return json;
  }

 private:
  std::unique_ptr<asio::io_context> io_;  // declared first: outlives the socket
  websocket::stream<Socket> ws_;
  std::string address_;
};

}  // namespace

Result<std::unique_ptr<EventStream>> open_event_stream(const AgentAddress& address,
                                                       const std::optional<std::string>& token) {
  auto io = std::make_unique<asio::io_context>();
  error_code ec;
  if (address.is_unix()) {
    using Socket = asio::local::stream_protocol::socket;
    Socket socket(*io);
    socket.connect(asio::local::stream_protocol::endpoint(address.socket_path), ec);
    if (ec) return std::unexpected(agent_unreachable(address.text, ec.message()));
    auto stream =
        std::make_unique<BeastEventStream<Socket>>(std::move(io), std::move(socket), address.text);
    if (auto ok = stream->handshake(token, "localhost"); !ok) return std::unexpected(ok.error());
    return stream;
  }
  using Socket = asio::ip::tcp::socket;
  asio::ip::tcp::resolver resolver(*io);
  auto endpoints = resolver.resolve(address.host, std::to_string(address.port), ec);
  if (ec) return std::unexpected(agent_unreachable(address.text, ec.message()));
  Socket socket(*io);
  asio::connect(socket, endpoints, ec);
  if (ec) return std::unexpected(agent_unreachable(address.text, ec.message()));
  auto stream =
      std::make_unique<BeastEventStream<Socket>>(std::move(io), std::move(socket), address.text);
  std::string host = address.host + ":" + std::to_string(address.port);
  if (auto ok = stream->handshake(token, host); !ok) return std::unexpected(ok.error());
  return stream;
}

}  // namespace constellation::console
