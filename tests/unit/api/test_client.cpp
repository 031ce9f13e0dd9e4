// Beast client implementation for the server tests (the tests' only Beast translation unit).
#include "tests/unit/api/test_client.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "shared/asio.hpp"

namespace constellation::api::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using Socket = asio::generic::stream_protocol::socket;

Socket connect_to(asio::io_context& io, const Target& target) {
  Socket socket(io);
  boost::system::error_code ec;
  if (!target.unix_path.empty()) {
    asio::generic::stream_protocol::endpoint endpoint{
        asio::local::stream_protocol::endpoint(target.unix_path)};
    socket.connect(endpoint, ec);
  } else {
    asio::generic::stream_protocol::endpoint endpoint{
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), target.port)};
    socket.connect(endpoint, ec);
  }
  return socket;
}

/// Runs `io` until `done` or the client timeout; on timeout cancels `cancel` and drains.
template <typename Cancel>
bool run_until(asio::io_context& io, const bool& done, Cancel cancel) {
  io.restart();
  io.run_for(kClientTimeout);
  if (done) return true;
  cancel();
  io.restart();
  io.run();
  return false;
}

}  // namespace

struct HttpConnection::Impl {
  asio::io_context io;
  Socket socket;
  beast::flat_buffer buffer;
  explicit Impl(const Target& target) : socket(connect_to(io, target)) {}
  void cancel() {
    boost::system::error_code ec;
    socket.cancel(ec);
  }
};

HttpConnection::HttpConnection(const Target& target) : impl_(std::make_unique<Impl>(target)) {}
HttpConnection::~HttpConnection() = default;

bool HttpConnection::send_raw(const std::string& bytes) {
  boost::system::error_code ec;
  asio::write(impl_->socket, asio::buffer(bytes), ec);
  return !ec;
}

std::optional<Reply> HttpConnection::request(const std::string& method, const std::string& target,
                                             const std::string& body, const Headers& headers) {
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  if (request.method() == http::verb::unknown) request.method_string(method);
  request.set(http::field::host, "localhost");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  boost::system::error_code ec;
  http::write(impl_->socket, request, ec);
  if (ec) return std::nullopt;
  return read_reply();
}

std::optional<Reply> HttpConnection::read_reply() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  bool done = false;
  boost::system::error_code result;
  http::async_read(impl_->socket, impl_->buffer, parser,
                   [&](boost::system::error_code ec, std::size_t) {
                     result = ec;
                     done = true;
                   });
  if (!run_until(impl_->io, done, [&] { impl_->cancel(); }) || result) return std::nullopt;
  Reply reply;
  reply.status = static_cast<int>(parser.get().result_int());
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(field.value());
  }
  reply.body = parser.get().body();
  return reply;
}

bool HttpConnection::closed_by_server() {
  std::array<char, 4096> sink;
  for (;;) {
    bool done = false;
    boost::system::error_code result;
    impl_->socket.async_read_some(asio::buffer(sink),
                                  [&](boost::system::error_code ec, std::size_t) {
                                    result = ec;
                                    done = true;
                                  });
    if (!run_until(impl_->io, done, [&] { impl_->cancel(); })) return false;
    if (result) return result != asio::error::operation_aborted;
  }
}

struct WsConnection::Impl {
  asio::io_context io;
  websocket::stream<Socket> ws;
  bool open = false;
  explicit Impl(const Target& target) : ws(connect_to(io, target)) {}
  void cancel() {
    boost::system::error_code ec;
    ws.next_layer().cancel(ec);
  }
};

WsConnection::WsConnection(const Target& target, const std::string& path)
    : impl_(std::make_unique<Impl>(target)) {
  bool done = false;
  boost::system::error_code result;
  impl_->ws.async_handshake("localhost", path, [&](boost::system::error_code ec) {
    result = ec;
    done = true;
  });
  impl_->open = run_until(impl_->io, done, [&] { impl_->cancel(); }) && !result;
}

WsConnection::~WsConnection() {
  if (!impl_->open) return;
  bool done = false;
  impl_->ws.async_close(websocket::close_code::normal,
                        [&](boost::system::error_code) { done = true; });
  run_until(impl_->io, done, [&] { impl_->cancel(); });
}

bool WsConnection::open() const {
  return impl_->open;
}

std::optional<nlohmann::json> WsConnection::next() {
  if (!impl_->open) return std::nullopt;
  beast::flat_buffer buffer;
  bool done = false;
  boost::system::error_code result;
  impl_->ws.async_read(buffer, [&](boost::system::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  if (!run_until(impl_->io, done, [&] { impl_->cancel(); }) || result) {
    if (result == websocket::error::closed) impl_->open = false;
    return std::nullopt;
  }
  return nlohmann::json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
}

void WsConnection::send(const nlohmann::json& message) {
  impl_->ws.text(true);
  boost::system::error_code ec;
  impl_->ws.write(asio::buffer(message.dump()), ec);
}

int WsConnection::wait_for_close() {
  while (impl_->open) {
    beast::flat_buffer buffer;
    bool done = false;
    boost::system::error_code result;
    impl_->ws.async_read(buffer, [&](boost::system::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    if (!run_until(impl_->io, done, [&] { impl_->cancel(); })) return 0;
    if (result) {
      impl_->open = false;
      return result == websocket::error::closed ? impl_->ws.reason().code : 0;
    }
  }
  return 0;
}

}  // namespace constellation::api::testing
