// WsClient over Beast: the only Beast translation unit in the test harness. The socket is
// connected with POSIX calls and adopted, so the same code serves unix sockets and TCP.
#include "tests/harness/ws.hpp"

#include <utility>

#include <poll.h>
#include <sys/socket.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <stdexcept>

namespace constellation::testing {
namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using Socket = asio::generic::stream_protocol::socket;

struct WsClient::Impl {
  asio::io_context io;
  websocket::stream<Socket> ws;
  int fd;
  explicit Impl(int fd_) : ws(io), fd(fd_) {}
};

WsClient::WsClient(const Target& target, const std::string& path) {
  int fd = connect_to(target);
  if (fd < 0) throw std::runtime_error("cannot connect for /ws");
  impl_ = std::make_unique<Impl>(fd);
  bool is_unix = std::holds_alternative<UnixTarget>(target);
  impl_->ws.next_layer().assign(
      asio::generic::stream_protocol(is_unix ? AF_UNIX : AF_INET, SOCK_STREAM), fd);
  impl_->ws.handshake("localhost", path);
}

WsClient::~WsClient() {
  boost::system::error_code ec;
  impl_->ws.close(websocket::close_code::normal, ec);
}

std::optional<nlohmann::json> WsClient::next(std::chrono::milliseconds timeout) {
  // Beast keeps frames it has already read in its own buffer, so polling the fd is not enough:
  // read asynchronously and run the private io_context for at most `timeout`.
  boost::beast::flat_buffer buffer;
  std::optional<boost::system::error_code> result;
  impl_->ws.async_read(buffer, [&](boost::system::error_code ec, std::size_t) { result = ec; });
  impl_->io.restart();
  impl_->io.run_for(timeout);
  if (!result) {
    // Timed out: cancel the read and let its handler run before `buffer` goes away.
    impl_->ws.next_layer().cancel();
    impl_->io.restart();
    impl_->io.run();
    return std::nullopt;
  }
  if (*result) return std::nullopt;
  return nlohmann::json::parse(boost::beast::buffers_to_string(buffer.data()), nullptr, false);
}

void WsClient::send(const nlohmann::json& message) {
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(message.dump()));
}

}  // namespace constellation::testing
