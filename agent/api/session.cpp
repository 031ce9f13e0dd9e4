// HTTP/1.1 and WebSocket sessions over one stream type (generic stream sockets cover both the
// unix socket and TCP), so Beast is compiled once. Parsing limits, the request timeout and
// keep-alive live here; what to answer is the Dispatcher's business.
#include "agent/api/session.hpp"

#include <array>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "shared/api_paths.hpp"
#include "shared/log.hpp"
#include "shared/version.hpp"

namespace constellation::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using Stream = beast::basic_stream<asio::generic::stream_protocol, asio::any_io_executor>;
using WsStream = websocket::stream<Stream>;
using Parser = http::request_parser<http::string_body>;
using BeastRequest = http::request<http::string_body>;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kDrainLimit = 1 << 20;              // bytes read after an error answer
constexpr auto kLingerTimeout = std::chrono::seconds(1);  // ... and for how long at most
constexpr auto kWsCloseTimeout = std::chrono::seconds(2);
constexpr std::size_t kWsMessageLimit = 64 * 1024;
constexpr std::size_t kHeaderLimit = 16 * 1024;

std::string server_header() {
  return "constellation/" + std::string(kVersion);
}

/// Beast's parse errors (not I/O errors, not a clean end of stream) deserve a 400/413.
bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == make_error_code(http::error::end_of_stream).category() &&
         ec != http::error::end_of_stream;
}

Error parse_error(const beast::error_code& ec, std::size_t body_limit) {
  if (ec == http::error::body_limit)
    return Error{ErrorCode::too_large, "request body is over the limit of " +
                                           std::to_string(body_limit) +
                                           " bytes (api_body_limit); send less or raise the limit"};
  if (ec == http::error::header_limit)
    return Error{ErrorCode::too_large,
                 "request headers are over " + std::to_string(kHeaderLimit) + " bytes; send fewer"};
  return Error{ErrorCode::invalid_argument,
               "malformed HTTP request (" + ec.message() + "); send an HTTP/1.1 request"};
}

Request to_request(const BeastRequest& request, PeerKind peer, std::string peer_address) {
  Request out;
  out.method = std::string(request.method_string());
  out.target = std::string(request.target());
  if (auto it = request.find(http::field::authorization); it != request.end())
    out.authorization = std::string(it->value());
  out.body = request.body();
  out.peer = peer;
  out.peer_address = std::move(peer_address);
  return out;
}

http::response<http::string_body> to_beast(const Response& response, unsigned version,
                                           bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(response.status), version};
  out.set(http::field::server, server_header());
  out.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.extra_headers) out.set(name, value);
  out.body() = response.body;
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

class SessionImpl final : public Session, public std::enable_shared_from_this<SessionImpl> {
 public:
  SessionImpl(std::shared_ptr<ServerState> state, std::uint64_t id,
              asio::generic::stream_protocol::socket socket, PeerKind peer,
              std::string peer_address)
      : state_(std::move(state)),
        id_(id),
        peer_(peer),
        peer_address_(std::move(peer_address)),
        stream_(std::move(socket)),
        wake_(stream_.get_executor()),
        close_deadline_(stream_.get_executor()) {}

  ~SessionImpl() override {
    state_->sessions.erase(id_);
    if (client_) state_->hub.disconnect(*client_);
  }

  void close() override {
    if (closing_) return;
    closing_ = true;
    if (ws_) {
      // The writer sends the close frame (its handshake bounded by the timeout option). A
      // peer that reads nothing could stall that forever, so a deadline closes the socket.
      ws_->set_option(websocket::stream_base::timeout{kWsCloseTimeout, kWsCloseTimeout, false});
      wake_.cancel();
      close_deadline_.expires_after(kWsCloseTimeout);
      close_deadline_.async_wait([weak = weak_from_this()](const beast::error_code& ec) {
        auto self = weak.lock();
        if (!ec && self && self->ws_) beast::get_lowest_layer(*self->ws_).close();
      });
    } else {
      stream_.close();
    }
  }

  asio::awaitable<void> serve(std::shared_ptr<SessionImpl> self) {
    try {
      co_await serve_http();
    } catch (const std::exception& e) {
      log::get("api")->error("connection ended by an unexpected error: {}", e.what());
    }
    (void)self;
  }

 private:
  asio::awaitable<void> serve_http() {
    beast::flat_buffer buffer;
    while (!closing_) {
      Parser parser;
      parser.body_limit(state_->limits.body_limit);
      parser.header_limit(kHeaderLimit);
      stream_.expires_after(state_->limits.request_timeout);
      beast::error_code ec;
      co_await http::async_read_header(stream_, buffer, parser,
                                       asio::redirect_error(asio::use_awaitable, ec));
      const auto started = Clock::now();
      if (!ec && !parser.is_done()) {
        if (parser.get()[http::field::expect] == "100-continue") {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          co_await asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                                     asio::redirect_error(asio::use_awaitable, ec));
        }
        if (!ec)
          co_await http::async_read(stream_, buffer, parser,
                                    asio::redirect_error(asio::use_awaitable, ec));
      }
      if (ec) {
        // End of stream, the request timeout, a reset or close(): just close. Only a request
        // Beast could not parse gets an answer.
        if (closing_ || !is_parse_error(ec)) co_return;
        auto response = error_response(parse_error(ec, state_->limits.body_limit));
        state_->dispatcher.record(kUnmatchedRoute, response.status, Clock::now() - started);
        co_await answer_and_close(response, 11);
        co_return;
      }
      BeastRequest request = parser.release();
      if (websocket::is_upgrade(request)) {
        co_await serve_websocket(std::move(request), started);
        co_return;
      }
      bool keep_alive = request.keep_alive();
      auto response =
          co_await state_->dispatcher.dispatch(to_request(request, peer_, peer_address_));
      if (closing_) co_return;
      keep_alive = keep_alive && !state_->stopping;
      auto out = to_beast(response, request.version(), keep_alive);
      stream_.expires_after(state_->limits.request_timeout);  // a slow handler used the budget
      co_await http::async_write(stream_, out, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      if (!keep_alive) {
        stream_.socket().shutdown(asio::socket_base::shutdown_send, ec);
        co_return;
      }
    }
  }

  /// Sends an error with "Connection: close", then reads (and drops) what the client is still
  /// sending for a moment, so closing does not reset the connection before it reads the answer.
  asio::awaitable<void> answer_and_close(const Response& response, unsigned version) {
    beast::error_code ec;
    auto out = to_beast(response, version, false);
    stream_.expires_after(state_->limits.request_timeout);
    co_await http::async_write(stream_, out, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || closing_) co_return;
    stream_.socket().shutdown(asio::socket_base::shutdown_send, ec);
    stream_.expires_after(kLingerTimeout);
    std::array<char, 8192> sink;
    for (std::size_t drained = 0; drained < kDrainLimit && !closing_;) {
      auto n = co_await stream_.async_read_some(asio::buffer(sink),
                                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      drained += n;
    }
    stream_.close();
  }

  asio::awaitable<void> serve_websocket(BeastRequest upgrade, Clock::time_point started) {
    Request request = to_request(upgrade, peer_, peer_address_);
    auto route = state_->dispatcher.resolve(request);
    if (!route || (*route)->pattern != api_paths::ws) {
      Response refusal =
          route ? error_response(Error{ErrorCode::invalid_argument,
                                       "only " + std::string(api_paths::ws) +
                                           " accepts a WebSocket upgrade, not " + request.path})
                : route.error();
      state_->dispatcher.record(route ? (*route)->pattern : std::string(kUnmatchedRoute),
                                refusal.status, Clock::now() - started);
      co_await answer_and_close(refusal, upgrade.version());
      co_return;
    }
    stream_.expires_never();
    ws_ = std::make_unique<WsStream>(std::move(stream_));
    ws_->set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_->set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
      response.set(http::field::server, server_header());
    }));
    ws_->read_message_max(kWsMessageLimit);
    beast::error_code ec;
    co_await ws_->async_accept(upgrade, asio::redirect_error(asio::use_awaitable, ec));
    state_->dispatcher.record(api_paths::ws, ec ? 400 : 101, Clock::now() - started);
    if (ec || closing_) co_return;
    std::weak_ptr<SessionImpl> weak = weak_from_this();
    client_ = state_->hub.connect([weak] {
      if (auto self = weak.lock()) self->wake_.cancel();
    });
    asio::co_spawn(wake_.get_executor(), write_websocket(shared_from_this()), asio::detached);
    co_await read_websocket();
  }

  /// Reads client frames (pings) until the connection ends, then forgets the hub client.
  asio::awaitable<void> read_websocket() {
    beast::flat_buffer buffer;
    for (;;) {
      beast::error_code ec;
      co_await ws_->async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      if (ws_->got_text() && client_)
        state_->hub.receive(*client_, beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
    }
    ws_done_ = true;
    if (client_) state_->hub.disconnect(*client_);
    client_.reset();
    wake_.cancel();
  }

  /// Sends queued hub messages one at a time; sleeps on `wake_` when the queue is empty.
  asio::awaitable<void> write_websocket(std::shared_ptr<SessionImpl> self) {
    (void)self;
    beast::error_code ec;
    while (!ws_done_ && !closing_) {
      std::optional<std::string> message = client_ ? state_->hub.pop(*client_) : std::nullopt;
      if (message) {
        ws_->text(true);
        co_await ws_->async_write(asio::buffer(*message),
                                  asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
        continue;
      }
      wake_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (closing_ && !ws_done_)
      co_await ws_->async_close(websocket::close_code::going_away,
                                asio::redirect_error(asio::use_awaitable, ec));
  }

  std::shared_ptr<ServerState> state_;
  std::uint64_t id_;
  PeerKind peer_;
  std::string peer_address_;
  Stream stream_;  // moved into ws_ on upgrade; unused afterwards
  std::unique_ptr<WsStream> ws_;
  asio::steady_timer wake_;
  asio::steady_timer close_deadline_;
  std::optional<WsHub::ClientId> client_;
  bool closing_ = false;
  bool ws_done_ = false;
};

}  // namespace

void start_session(std::shared_ptr<ServerState> state,
                   asio::generic::stream_protocol::socket socket, PeerKind peer,
                   std::string peer_address) {
  auto executor = socket.get_executor();
  const auto id = state->next_session++;
  auto session =
      std::make_shared<SessionImpl>(state, id, std::move(socket), peer, std::move(peer_address));
  state->sessions[id] = session;
  asio::co_spawn(executor, session->serve(session), asio::detached);
}

Result<Request> parse_http_request(std::string_view bytes, std::size_t body_limit) {
  Parser parser;
  parser.body_limit(body_limit);
  parser.header_limit(kHeaderLimit);
  parser.eager(true);
  beast::error_code ec;
  std::size_t offset = 0;
  while (!parser.is_done()) {
    auto used = parser.put(asio::buffer(bytes.data() + offset, bytes.size() - offset), ec);
    offset += used;
    if (ec == http::error::need_more && used > 0) {
      ec = {};
      continue;
    }
    if (!ec && used == 0 && offset < bytes.size()) ec = http::error::partial_message;
    if (ec == http::error::need_more || (!ec && offset >= bytes.size() && !parser.is_done())) {
      ec = {};
      if (!parser.got_some()) ec = http::error::partial_message;  // Beast accepts "nothing"
      if (!ec) parser.put_eof(ec);
      if (!ec && !parser.is_done()) ec = http::error::partial_message;
    }
    if (ec) return std::unexpected(parse_error(ec, body_limit));
  }
  return to_request(parser.get(), PeerKind::unix_socket, "");
}

}  // namespace constellation::api
