// WsClient over Beast: the only Beast translation unit in the test harness. The socket is
// connected with POSIX calls and adopted, so the same code serves unix sockets and TCP.
#include "tests/harness/ws.hpp"

#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>

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
  // A frame may already be buffered inside Beast; only poll the fd when nothing is.
  pollfd pfd{impl_->fd, POLLIN, 0};
  if (impl_->ws.next_layer().available() == 0 &&
      ::poll(&pfd, 1, static_cast<int>(timeout.count())) <= 0)
    return std::nullopt;
  boost::beast::flat_buffer buffer;
  boost::system::error_code ec;
  impl_->ws.read(buffer, ec);
  if (ec) return std::nullopt;
  return nlohmann::json::parse(boost::beast::buffers_to_string(buffer.data()), nullptr, false);
}

void WsClient::send(const nlohmann::json& message) {
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(message.dump()));
}

}  // namespace constellation::testing
