// Listener set-up (unix socket hygiene, TCP binding and the no-token refusal), accept loops,
// and the shared state the sessions use.
#include "agent/api/api_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <filesystem>

#include "agent/api/handlers.hpp"
#include "agent/api/server_state.hpp"
#include "agent/api/session.hpp"
#include "shared/log.hpp"

namespace constellation::api {
namespace {

constexpr int kSnapshotEvents = 100;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

std::string token_path_of(const config::Config& config) {
  return (std::filesystem::path(config.secrets_path) / "api-token").string();
}

std::string address_text(const std::string& host, std::uint16_t port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

/// The IP of a TCP peer, "" if it cannot be read.
std::string peer_ip(const asio::generic::stream_protocol::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "";
  char text[INET6_ADDRSTRLEN] = {};
  const sockaddr* address = endpoint.data();
  if (address->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
  else if (address->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
              sizeof text);
  return text;
}

/// True when something accepts connections on the unix socket at `path`.
bool socket_answers(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, sizeof address.sun_path - 1);
  bool answered = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return answered;
}

Result<asio::ip::address> resolve_host(asio::io_context& loop, const std::string& host) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) return address;
  asio::ip::tcp::resolver resolver(loop);
  auto results = resolver.resolve(host, "", ec);
  if (ec || results.empty())
    return fail(ErrorCode::bad_config, "cannot resolve the API host '" + host + "' (" +
                                           ec.message() + "); set --api to an IP address");
  return results.begin()->endpoint().address();
}

}  // namespace

ServerState::ServerState(ApiContext context, std::string node, std::optional<std::string> token,
                         std::string token_path, SessionLimits limits_value,
                         std::size_t ws_queue_limit)
    : context(context),
      hub(
          WsHub::Options{
              .queue_limit = ws_queue_limit, .recent_events = kSnapshotEvents, .node = node},
          context.status),
      dispatcher(make_routes(HandlerDeps{context, node, &metrics}),
                 Auth(std::move(token), std::move(token_path)), metrics),
      limits(limits_value) {}

ApiServer::ApiServer(asio::io_context& loop, const config::Config& config,
                     std::optional<std::string> token, ApiContext context)
    : loop_(loop), config_(config), has_token_(token.has_value()) {
  SessionLimits limits;
  limits.body_limit = static_cast<std::size_t>(std::max<std::int64_t>(0, config.api_body_limit));
  limits.request_timeout = config.api_request_timeout;
  state_ = std::make_shared<ServerState>(
      std::move(context), config.node, std::move(token), token_path_of(config), limits,
      static_cast<std::size_t>(std::max(1, config.ws_queue_limit)));
  std::weak_ptr<ServerState> weak = state_;
  state_->metrics.add_collector([weak](Metrics& metrics) {
    if (auto state = weak.lock())
      metrics.gauge("constellation_ws_clients", "WebSocket clients connected to /ws.", {},
                    static_cast<double>(state->hub.client_count()));
  });
}

ApiServer::~ApiServer() {
  stop();
}

Metrics& ApiServer::metrics() {
  return state_->metrics;
}
WsHub& ApiServer::hub() {
  return state_->hub;
}

Status ApiServer::start() {
  state_->stopping = false;
  if (auto unix_ok = listen_unix(); !unix_ok) return unix_ok;
  if (auto tcp_ok = listen_tcp(); !tcp_ok) {
    stop();
    return tcp_ok;
  }
  accept_on(unix_acceptor_, false);
  accept_on(tcp_acceptor_, true);
  log::get("api")->info("serving the API on unix:{} and {}", config_.socket_path,
                        address_text(config_.api.host, tcp_port_));
  // Fill the snapshot ring from the journal so new WebSocket clients see recent history.
  if (state_->context.query_events)
    asio::co_spawn(
        loop_,
        [](std::shared_ptr<ServerState> state) -> asio::awaitable<void> {
          EventQuery recent;
          recent.limit = kSnapshotEvents;
          auto events = co_await state->context.query_events(recent);
          if (events)
            state->hub.seed(*events);
          else
            log::get("api")->warn("WebSocket snapshots start without history: {}",
                                  events.error().message);
        }(state_),
        asio::detached);
  return {};
}

Status ApiServer::listen_unix() {
  namespace fs = std::filesystem;
  const std::string& path = config_.socket_path;
  if (path.empty() || path.size() >= sizeof(sockaddr_un{}.sun_path))
    return fail(ErrorCode::bad_config, "API socket path '" + path + "' must be 1 to " +
                                           std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) +
                                           " bytes long; set --socket to a shorter path");
  std::error_code fs_error;
  if (auto parent = fs::path(path).parent_path(); !parent.empty())
    fs::create_directories(parent, fs_error);
  if (fs_error)
    return fail(ErrorCode::bad_config, "cannot create the directory of the API socket " + path +
                                           ": " + fs_error.message() + "; set --socket");
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0) {
    if (!S_ISSOCK(info.st_mode))
      return fail(ErrorCode::bad_config, path +
                                             " exists and is not a socket; remove it or set "
                                             "--socket to another path");
    if (socket_answers(path))
      return fail(ErrorCode::conflict, "another agent is listening on " + path +
                                           "; stop it first or set --socket to another path");
    ::unlink(path.c_str());  // stale: left behind by an agent that did not stop cleanly
  }
  auto acceptor = std::make_shared<Acceptor>(loop_);
  boost::system::error_code ec;
  asio::generic::stream_protocol::endpoint endpoint{asio::local::stream_protocol::endpoint(path)};
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) owns_socket_file_ = true;
  if (!ec && ::chmod(path.c_str(), 0660) != 0)
    ec = boost::system::error_code(errno, boost::system::system_category());
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    close_listeners();
    return fail(ErrorCode::unavailable, "cannot listen on the API socket " + path + ": " +
                                            ec.message() +
                                            "; check the directory's permissions or set --socket");
  }
  unix_acceptor_ = std::move(acceptor);
  return {};
}

Status ApiServer::listen_tcp() {
  const std::string shown = address_text(config_.api.host, config_.api.port);
  auto address = resolve_host(loop_, config_.api.host);
  if (!address) return std::unexpected(address.error());
  if (!address->is_loopback() && !has_token_)
    return fail(ErrorCode::bad_config,
                "refusing to serve the API on " + shown +
                    " without a token: it is not a loopback address, so anyone who can reach it "
                    "could change this agent; create " +
                    token_path_of(config_) +
                    " (mode 0600) or listen on 127.0.0.1 (--api / API_PORT)");
  auto acceptor = std::make_shared<Acceptor>(loop_);
  boost::system::error_code ec;
  asio::generic::stream_protocol::endpoint endpoint{
      asio::ip::tcp::endpoint(*address, config_.api.port)};
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  asio::generic::stream_protocol::endpoint bound;
  if (!ec) bound = acceptor->local_endpoint(ec);
  if (ec)
    return fail(ErrorCode::unavailable, "cannot listen for the API on " + shown + ": " +
                                            ec.message() +
                                            "; pick a free port with --api or API_PORT");
  const sockaddr* raw = bound.data();
  tcp_port_ = raw->sa_family == AF_INET6
                  ? ntohs(reinterpret_cast<const sockaddr_in6*>(raw)->sin6_port)
                  : ntohs(reinterpret_cast<const sockaddr_in*>(raw)->sin_port);
  tcp_acceptor_ = std::move(acceptor);
  return {};
}

void ApiServer::accept_on(std::shared_ptr<Acceptor> acceptor, bool tcp) {
  asio::co_spawn(
      loop_,
      [](std::shared_ptr<ServerState> state, std::shared_ptr<Acceptor> acceptor,
         bool tcp) -> asio::awaitable<void> {
        asio::steady_timer backoff(acceptor->get_executor());
        while (acceptor->is_open() && !state->stopping) {
          boost::system::error_code ec;
          auto socket =
              co_await acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
          if (ec) {
            if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
            // Out of file descriptors and the like: say so, wait a little, go on serving.
            log::get("api")->warn("accepting an API connection failed: {}", ec.message());
            backoff.expires_after(kAcceptRetryDelay);
            co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
          }
          std::string peer = tcp ? peer_ip(socket) : std::string();
          start_session(state, std::move(socket), tcp ? PeerKind::tcp : PeerKind::unix_socket,
                        std::move(peer));
        }
      }(state_, std::move(acceptor), tcp),
      asio::detached);
}

void ApiServer::close_listeners() {
  boost::system::error_code ec;
  if (unix_acceptor_) unix_acceptor_->close(ec);
  if (tcp_acceptor_) tcp_acceptor_->close(ec);
  unix_acceptor_.reset();
  tcp_acceptor_.reset();
  if (owns_socket_file_) ::unlink(config_.socket_path.c_str());
  owns_socket_file_ = false;
}

void ApiServer::stop() {
  state_->stopping = true;
  close_listeners();
  std::vector<std::shared_ptr<Session>> live;
  for (auto& [id, weak] : state_->sessions)
    if (auto session = weak.lock()) live.push_back(std::move(session));
  for (auto& session : live) session->close();
}

}  // namespace constellation::api
