// GossipService: sockets, timers and streams around the sans-IO core. Every core call is
// followed by apply(), the one place Effects turn into I/O.
#include "agent/gossip/transport.hpp"

#include <array>
#include <charconv>

#include "shared/log.hpp"

namespace constellation::gossip {
namespace {
using asio::ip::tcp;
using asio::ip::udp;
using boost::system::error_code;

constexpr std::uint16_t kDefaultGossipPort = 7946;
constexpr int kBindAttempts = 20;
constexpr auto kDropLogInterval = std::chrono::seconds(1);

Instant now() {
  return std::chrono::steady_clock::now();
}

Address address_of(const asio::ip::address& ip, std::uint16_t port) {
  Address out;
  out.port = port;
  if (ip.is_v4()) {
    auto bytes = ip.to_v4().to_bytes();
    out.ip.assign(bytes.begin(), bytes.end());
  } else {
    auto v6 = ip.to_v6();
    if (v6.is_v4_mapped()) {
      auto bytes = asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_bytes();
      out.ip.assign(bytes.begin(), bytes.end());
    } else {
      auto bytes = v6.to_bytes();
      out.ip.assign(bytes.begin(), bytes.end());
    }
  }
  return out;
}

asio::ip::address ip_of(const Address& address) {
  if (address.ip.size() == 4) {
    asio::ip::address_v4::bytes_type bytes;
    std::copy(address.ip.begin(), address.ip.end(), bytes.begin());
    return asio::ip::address_v4(bytes);
  }
  asio::ip::address_v6::bytes_type bytes{};
  std::copy_n(address.ip.begin(), std::min(address.ip.size(), bytes.size()), bytes.begin());
  return asio::ip::address_v6(bytes);
}

// Whether `buf` holds one whole stream message (or bytes that can never become one).
bool stream_complete(std::span<const std::uint8_t> buf) {
  if (buf.empty()) return false;
  if (buf[0] == static_cast<std::uint8_t>(MessageType::encrypt)) {
    auto size = stream_frame_size(buf);
    if (!size) return true;
    return *size && buf.size() >= **size;
  }
  auto decoded = decode_stream(buf);
  return decoded || decoded.error().reason != DropReason::truncated;
}

// Reads until one whole message is in, the peer closes, or the socket is closed.
asio::awaitable<Bytes> read_message(tcp::socket& socket) {
  Bytes buf;
  std::array<std::uint8_t, 4096> chunk{};
  while (!stream_complete(buf) && buf.size() <= static_cast<std::size_t>(kMaxStreamPayload)) {
    error_code ec;
    std::size_t n = co_await socket.async_read_some(asio::buffer(chunk),
                                                    asio::redirect_error(asio::use_awaitable, ec));
    buf.insert(buf.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
    if (ec) break;
  }
  co_return buf;
}

// Closes the socket when the deadline passes (cancelled by the caller when done).
void close_at(asio::steady_timer& timer, Instant deadline, std::shared_ptr<tcp::socket> socket) {
  timer.expires_at(deadline);
  timer.async_wait([socket](error_code ec) {
    if (!ec) socket->close(ec);
  });
}
}  // namespace

Result<ParsedAddress> parse_address(const std::string& text) {
  std::string host = text;
  std::string port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos)
      return fail(ErrorCode::invalid_argument, "unclosed '[' in gossip address '" + text + "'");
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':')
        return fail(ErrorCode::invalid_argument, "bad gossip address '" + text + "'");
      port_text = text.substr(close + 2);
    }
  } else if (auto colon = text.find(':');
             colon != std::string::npos && text.find(':', colon + 1) == std::string::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  ParsedAddress out{.host = host, .port = kDefaultGossipPort, .ip = std::nullopt};
  if (!port_text.empty() || text.ends_with(':')) {
    unsigned parsed = 0;
    auto [end, err] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), parsed);
    if (err != std::errc{} || end != port_text.data() + port_text.size() || parsed == 0 ||
        parsed > 65535)
      return fail(ErrorCode::invalid_argument, "bad port in gossip address '" + text + "'");
    out.port = static_cast<std::uint16_t>(parsed);
  }
  if (host.empty())
    return fail(ErrorCode::invalid_argument, "gossip address '" + text + "' has no host");
  error_code ec;
  auto ip = asio::ip::make_address(host, ec);
  if (!ec) out.ip = address_of(ip, out.port);
  return out;
}

Result<Address> resolve_address(const std::string& text) {
  auto parsed = parse_address(text);
  if (!parsed) return std::unexpected(parsed.error());
  if (parsed->ip) return *parsed->ip;
  error_code ec;
  asio::io_context io;
  udp::resolver resolver(io);
  auto results = resolver.resolve(parsed->host, std::to_string(parsed->port), ec);
  if (ec || results.empty())
    return fail(ErrorCode::not_found, "cannot resolve gossip address '" + text + "'");
  return address_of(results.begin()->endpoint().address(), parsed->port);
}

GossipService::GossipService(asio::io_context& loop, ServiceOptions options, EventSink on_event)
    : loop_(loop),
      options_(std::move(options)),
      on_event_(std::move(on_event)),
      udp_(loop),
      acceptor_(loop),
      wakeup_(loop),
      leave_guard_(loop),
      rx_(kMaxDatagram) {}

GossipService::~GossipService() = default;

Status GossipService::start() {
  error_code ec;
  auto bind_ip = asio::ip::make_address(options_.bind_host, ec);
  if (ec)
    return fail(ErrorCode::bad_config,
                "gossip address '" + options_.bind_host + "' is not an IP address");
  // UDP first; with port 0 the TCP acceptor takes the same port, retried if it is taken.
  for (int attempt = 0;; ++attempt) {
    udp_.open(bind_ip.is_v4() ? udp::v4() : udp::v6(), ec);
    if (!ec) udp_.bind(udp::endpoint(bind_ip, options_.bind_port), ec);
    if (ec) {
      udp_.close();
      return fail(ErrorCode::unavailable, "cannot bind gossip UDP " + options_.bind_host + ":" +
                                              std::to_string(options_.bind_port) + ": " +
                                              ec.message());
    }
    port_ = udp_.local_endpoint().port();
    acceptor_.open(bind_ip.is_v4() ? tcp::v4() : tcp::v6(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(tcp::endpoint(bind_ip, port_), ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) break;
    acceptor_.close();
    udp_.close();
    if (options_.bind_port != 0 || attempt + 1 >= kBindAttempts)
      return fail(ErrorCode::unavailable, "cannot bind gossip TCP " + options_.bind_host + ":" +
                                              std::to_string(port_) + ": " + ec.message());
  }

  // The agent passes the address discovery::choose_advertise picked; this fallback serves
  // callers (tests, tools) that leave it empty.
  std::string advertise = options_.advertise_host;
  if (advertise.empty()) advertise = bind_ip.is_unspecified() ? "127.0.0.1" : options_.bind_host;
  if (bind_ip.is_unspecified() && options_.advertise_host.empty())
    log::get("gossip")->warn("gossip bound to {}; advertising {} (set gossip to a routable IP)",
                             options_.bind_host, advertise);
  auto advertised_ip = asio::ip::make_address(advertise, ec);
  if (ec) return fail(ErrorCode::bad_config, "advertise address '" + advertise + "' is not an IP");

  CoreConfig config;
  config.name = options_.node;
  config.address =
      address_of(advertised_ip, options_.advertise_port ? options_.advertise_port : port_);
  config.meta = options_.meta;
  config.timing = options_.timing;
  config.packet.max_payload = options_.max_payload;
  if (options_.keyring) config.packet.keyring = &*options_.keyring;
  config.seed = options_.seed;
  if (auto valid = validate(config); !valid) {
    // Only configuration reaches here (profile, gossip_timing, meta): say so with exit 78.
    std::string message = valid.error().message;
    if (message.starts_with("gossip: ")) message.erase(0, 8);
    return fail(ErrorCode::bad_config, message + " (check gossip_profile and gossip_timing)");
  }
  core_ = std::make_unique<Memberlist>(std::move(config));
  if (!user_state_.empty()) core_->set_user_state(user_state_);

  asio::co_spawn(loop_, receive_loop(), asio::detached);
  asio::co_spawn(loop_, accept_loop(), asio::detached);
  apply(core_->start(now()));
  log::get("gossip")->info("gossip on {} as {} (udp+tcp)", address(), options_.node);
  if (!options_.join.empty()) {
    if (auto joined = join(options_.join); !joined)
      log::get("gossip")->warn("join at start: {}", joined.error().message);
  }
  return {};
}

Result<std::vector<std::string>> GossipService::join(const std::vector<std::string>& addresses) {
  if (!core_ || closed_ || stopping_) return fail(ErrorCode::unavailable, "gossip is not running");
  std::vector<Address> seeds;
  std::vector<std::string> names, understood;
  for (const auto& text : addresses) {
    auto parsed = parse_address(text);
    if (!parsed) {
      log::get("gossip")->warn("join: {}", parsed.error().message);
      continue;
    }
    if (parsed->ip) {
      seeds.push_back(*parsed->ip);
      understood.push_back(parsed->ip->to_string());
    } else {
      names.push_back(text);
      understood.push_back(parsed->host + ":" + std::to_string(parsed->port));
    }
  }
  if (understood.empty())
    return fail(ErrorCode::invalid_argument, "no join address could be parsed");
  if (!seeds.empty()) join_seeds(seeds);
  if (names.empty()) return understood;
  // DNS lookups block: run them off the loop and post the seeds back.
  std::weak_ptr<int> alive = alive_;
  auto lookup = [this, loop = &loop_, alive, names] {
    std::vector<Address> resolved;
    for (const auto& name : names) {
      auto address = resolve_address(name);
      if (address) {
        resolved.push_back(*address);
      } else {
        log::get("gossip")->warn("join: {}", address.error().message);
      }
    }
    asio::post(*loop, [this, alive, resolved = std::move(resolved)] {
      if (alive.expired() || resolved.empty()) return;
      join_seeds(resolved);
    });
  };
  if (options_.offload) {
    options_.offload(std::move(lookup));
  } else {
    lookup();
  }
  return understood;
}

void GossipService::join_seeds(const std::vector<Address>& seeds) {
  if (!core_ || closed_ || stopping_) return;
  log::get("gossip")->info("joining {} seed(s)", seeds.size());
  apply(core_->join(now(), seeds));
}

Status GossipService::broadcast(Bytes payload, std::string key) {
  if (!core_ || closed_) return fail(ErrorCode::unavailable, "gossip is not running");
  return core_->queue_user_broadcast(std::move(payload), std::move(key));
}

Status GossipService::send_reliable(const std::string& node, Bytes payload) {
  if (!core_ || closed_ || stopping_) return fail(ErrorCode::unavailable, "gossip is not running");
  auto fx = core_->send_reliable(now(), node, std::move(payload));
  if (!fx) return std::unexpected(fx.error());
  apply(std::move(*fx));
  return {};
}

void GossipService::set_user_state(Bytes state) {
  user_state_ = state;
  if (core_) core_->set_user_state(std::move(state));
}

Status GossipService::set_meta(Bytes meta) {
  if (!core_) {
    options_.meta = std::move(meta);
    return {};
  }
  if (closed_ || stopping_) return fail(ErrorCode::unavailable, "gossip is not running");
  auto fx = core_->set_local_meta(now(), std::move(meta));
  if (!fx) return std::unexpected(fx.error());
  apply(std::move(*fx));
  return {};
}

Status GossipService::force_leave(const std::string& node) {
  if (!core_ || closed_ || stopping_) return fail(ErrorCode::unavailable, "gossip is not running");
  auto fx = core_->force_leave(now(), node);
  if (!fx) return std::unexpected(fx.error());
  apply(std::move(*fx));
  return {};
}

void GossipService::stop() {
  if (!core_ || closed_ || stopping_) {
    close();
    return;
  }
  stopping_ = true;
  apply(core_->leave(now()));
  if (closed_) return;
  leave_guard_.expires_after(core_->config().timing.leave_timeout + std::chrono::seconds(1));
  leave_guard_.async_wait([this](error_code ec) {
    if (!ec) close();
  });
}

void GossipService::close() {
  if (closed_) return;
  closed_ = true;
  error_code ec;
  wakeup_.cancel();
  leave_guard_.cancel();
  udp_.close(ec);
  acceptor_.close(ec);
}

std::string GossipService::address() const {
  return core_ ? core_->config().address.to_string()
               : options_.bind_host + ":" + std::to_string(port_);
}

void GossipService::arm(Instant when) {
  wakeup_.expires_at(when);
  wakeup_.async_wait([this](error_code ec) {
    if (ec || closed_) return;
    apply(core_->tick(now()));
  });
}

void GossipService::count_drop(const WireError& error) {
  ++dropped_[std::string(drop_reason_name(error.reason))];
  auto t = now();
  if (t - last_drop_log_ >= kDropLogInterval) {
    last_drop_log_ = t;
    log::get("gossip")->warn("dropped gossip input ({}): {}", drop_reason_name(error.reason),
                             error.detail);
  }
}

void GossipService::apply(Effects fx) {
  if (closed_) return;
  for (const auto& drop : fx.dropped) count_drop(drop);
  for (const auto& packet : fx.packets) {
    error_code ec;
    udp_.send_to(asio::buffer(packet.bytes), udp::endpoint(ip_of(packet.to), packet.to.port), 0,
                 ec);
    if (ec) log::get("gossip")->debug("send to {}: {}", packet.to.to_string(), ec.message());
  }
  for (auto& request : fx.streams)
    asio::co_spawn(loop_, run_stream(std::move(request)), asio::detached);
  for (const auto& event : fx.events)
    if (on_event_) on_event_(event);
  for (const auto& message : fx.user_messages)
    if (application_.on_message) application_.on_message(message);
  for (const auto& state : fx.user_states)
    if (application_.on_state) application_.on_state(state.state, state.join);
  if (fx.joined) log::get("gossip")->info("joined: {} peer(s) answered", *fx.joined);
  if (fx.join_failed) log::get("gossip")->warn("join gave up");
  if (fx.left) {
    log::get("gossip")->info("left the cluster");
    close();
    return;
  }
  if (fx.next_wakeup) arm(*fx.next_wakeup);
}

asio::awaitable<void> GossipService::pause_after_error(std::string_view what, error_code ec) {
  // A socket error that repeats (ICMP storms, EMFILE) must not spin the loop: wait 1 ms,
  // doubling to 1 s while errors keep coming, and say so at most once a second.
  errors_in_a_row_ = std::min(errors_in_a_row_ + 1, 11);
  auto t = now();
  if (t - last_error_log_ >= kDropLogInterval) {
    last_error_log_ = t;
    log::get("gossip")->warn("{} failed: {} ({} in a row)", what, ec.message(), errors_in_a_row_);
  }
  asio::steady_timer pause(loop_, std::chrono::milliseconds(1) * (1 << (errors_in_a_row_ - 1)));
  co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> GossipService::receive_loop() {
  while (!closed_) {
    error_code ec;
    udp::endpoint from;
    std::size_t n = co_await udp_.async_receive_from(asio::buffer(rx_), from,
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (closed_) co_return;
    if (ec) {
      co_await pause_after_error("UDP receive", ec);
      continue;
    }
    errors_in_a_row_ = 0;
    apply(core_->handle_packet(now(), address_of(from.address(), from.port()),
                               std::span<const std::uint8_t>(rx_.data(), n)));
  }
}

asio::awaitable<void> GossipService::accept_loop() {
  while (!closed_) {
    error_code ec;
    tcp::socket socket =
        co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (closed_) co_return;
    if (ec) {
      co_await pause_after_error("TCP accept", ec);  // e.g. EMFILE: do not spin
      continue;
    }
    errors_in_a_row_ = 0;
    asio::co_spawn(loop_, serve_stream(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> GossipService::serve_stream(tcp::socket accepted) {
  auto socket = std::make_shared<tcp::socket>(std::move(accepted));
  error_code ec;
  auto remote = socket->remote_endpoint(ec);
  if (ec) co_return;
  asio::steady_timer deadline(loop_);
  close_at(deadline, now() + core_->config().timing.stream_timeout, socket);
  Bytes message = co_await read_message(*socket);
  if (closed_ || message.empty()) co_return;
  Effects fx = core_->handle_stream(now(), address_of(remote.address(), remote.port()), message);
  std::optional<Bytes> reply = std::move(fx.stream_reply);
  fx.stream_reply.reset();
  apply(std::move(fx));
  if (reply && socket->is_open())
    co_await asio::async_write(*socket, asio::buffer(*reply),
                               asio::redirect_error(asio::use_awaitable, ec));
  deadline.cancel();
  socket->shutdown(tcp::socket::shutdown_both, ec);
  socket->close(ec);
}

asio::awaitable<void> GossipService::run_stream(StreamRequest request) {
  auto socket = std::make_shared<tcp::socket>(loop_);
  asio::steady_timer deadline(loop_);
  close_at(deadline, request.deadline, socket);
  error_code ec;
  // From the address we are bound to, when it is specific: otherwise the kernel picks the
  // route's source (127.0.0.1 for any 127/8 peer), and a peer or firewall sees our streams
  // come from an address that is not ours.
  auto local = acceptor_.local_endpoint(ec).address();
  if (!ec && !local.is_unspecified()) {
    socket->open(local.is_v4() ? tcp::v4() : tcp::v6(), ec);
    if (!ec) socket->bind(tcp::endpoint(local, 0), ec);
  }
  if (ec) socket->close(ec);  // connect below opens it unbound
  ec.clear();
  co_await socket->async_connect(tcp::endpoint(ip_of(request.to), request.to.port),
                                 asio::redirect_error(asio::use_awaitable, ec));
  if (!ec)
    co_await asio::async_write(*socket, asio::buffer(request.bytes),
                               asio::redirect_error(asio::use_awaitable, ec));
  std::optional<Bytes> reply;
  if (ec && request.kind == StreamKind::user)
    log::get("gossip")->debug("reliable message to {}: {}", request.to.to_string(), ec.message());
  if (!ec && request.kind != StreamKind::user) {  // a user message has no reply
    Bytes bytes = co_await read_message(*socket);
    if (!bytes.empty()) reply = std::move(bytes);
  }
  deadline.cancel();
  if (request.kind == StreamKind::user) socket->shutdown(tcp::socket::shutdown_both, ec);
  socket->close(ec);
  if (closed_) co_return;
  if (reply)
    apply(core_->handle_stream_reply(now(), request.id, std::span<const std::uint8_t>(*reply)));
  else
    apply(core_->handle_stream_reply(now(), request.id, std::nullopt));
}

nlohmann::json GossipService::members_json() const {
  nlohmann::json members = nlohmann::json::array();
  nlohmann::json suspicions = nlohmann::json::array();
  if (!core_) return {{"members", members}, {"awareness", 0}, {"suspicions", suspicions}};
  for (const auto& [name, member] : core_->members().all())
    members.push_back({{"name", name},
                       {"address", member.address.to_string()},
                       {"state", std::string(member_state_name(member.state))},
                       {"incarnation", member.incarnation},
                       {"meta_bytes", member.meta ? member.meta->size() : 0},
                       {"self", name == core_->config().name}});
  auto t = now();
  for (const auto& [name, suspicion] : core_->suspicions()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(suspicion.deadline() - t);
    suspicions.push_back({{"name", name},
                          {"confirmations", suspicion.confirmations()},
                          {"accusers", suspicion.accusers()},
                          {"deadline_in_ms", std::max<std::int64_t>(0, left.count())}});
  }
  return {
      {"members", members}, {"awareness", core_->awareness_score()}, {"suspicions", suspicions}};
}

nlohmann::json GossipService::status_json() const {
  std::size_t alive = 0, total = 0;
  if (core_) {
    for (const auto& [name, member] : core_->members().all()) {
      ++total;
      if (member.state == MemberState::alive) ++alive;
    }
  }
  return {{"address", address()}, {"members", total}, {"alive", alive}};
}

}  // namespace constellation::gossip
