// GossipService: the gossip core (core_memberlist.hpp) on real sockets. It binds one UDP
// socket and one TCP acceptor to the same address on the agent's loop, feeds the core every
// datagram, inbound stream and timer expiry, and executes the Effects it returns.
//
// Ownership: owns the sockets, the core and the keyring; must outlive the io_context's run
// (the agent keeps it until the loop has drained). Threading: loop thread only. Failure:
// start() returns bind errors as values; bad input is counted per reason, never thrown.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/gossip/core_memberlist.hpp"
#include "agent/gossip/keyring.hpp"
#include "shared/asio.hpp"
#include "shared/error.hpp"

namespace constellation::gossip {

/// What the service needs to know before it binds.
struct ServiceOptions {
  std::string node;                   ///< member name
  std::string bind_host = "0.0.0.0";  ///< UDP and TCP bind address
  std::uint16_t bind_port = 7946;     ///< 0: pick a free port (both protocols share it)
  std::string advertise_host;         ///< address peers use; "" = bind_host if specific
  std::uint16_t advertise_port = 0;   ///< port peers use; 0 = the bound port
  /// Runs blocking work (DNS lookups of join names) off the loop, e.g. on the agent's worker
  /// pool; the job posts its result back to the loop itself. Empty: the work runs inline.
  std::function<void(std::function<void()>)> offload;
  std::vector<std::string> join;  ///< HOST or HOST:PORT seeds joined at start
  Timing timing = Timing::fast();
  std::size_t max_payload = kDefaultMaxPayload;
  std::optional<Keyring> keyring;  ///< encrypt gossip when set
  std::optional<Bytes> meta;
  std::uint64_t seed = 1;
};

/// "HOST" or "HOST:PORT" split, the port defaulted to 7946; `ip` is set when HOST is an IP
/// literal (no lookup needed).
struct ParsedAddress {
  std::string host{};
  std::uint16_t port = 0;
  std::optional<Address> ip{};
};
/// Pure: invalid_argument naming the input for a bad port, an unclosed '[' or no host.
Result<ParsedAddress> parse_address(const std::string& text);

/// Parses "HOST" or "HOST:PORT" (default port 7946), resolving names; invalid_argument or
/// not_found naming the input. Blocking when a DNS name must be resolved: call it off the loop.
Result<Address> resolve_address(const std::string& text);

/// The core on sockets, as an agent subsystem.
class GossipService {
 public:
  /// Receives every member event, on the loop thread.
  using EventSink = std::function<void(const MemberEvent&)>;
  /// Nothing is bound until start(); `on_event` may be empty.
  GossipService(asio::io_context& loop, ServiceOptions options, EventSink on_event);
  ~GossipService();
  GossipService(const GossipService&) = delete;
  GossipService& operator=(const GossipService&) = delete;

  /// Binds, starts the core and joins options.join. Errors name the address.
  Status start();
  /// Graceful leave: broadcasts it, then closes the sockets once the core reports `left` (or
  /// after its leave_timeout). Returns at once; the loop's drain finishes the work.
  void stop();

  /// Where the application's payloads go: user messages and peers' push/pull user state.
  struct Application {
    std::function<void(std::span<const std::uint8_t>)> on_message;
    std::function<void(std::span<const std::uint8_t>, bool join)> on_state;
  };
  /// Set before start(); payloads arriving without one are ignored.
  void set_application(Application application) { application_ = std::move(application); }
  /// Queues a user broadcast (replacing a queued one with the same non-empty key).
  Status broadcast(Bytes payload, std::string key);
  /// Sends `payload` to one member over a TCP stream as a reliable user message (memberlist's
  /// SendReliable); the peer's Application::on_message receives it. Returns once the stream is
  /// started: not_found for an unknown or dead member, too_large, unavailable when stopped. A
  /// connect or write failure is only logged (callers that need an answer time out).
  Status send_reliable(const std::string& node, Bytes payload);
  /// The application's full state for every push/pull from now on.
  void set_user_state(Bytes state);
  /// New node meta: before start() it is simply used; after, gossiped with a new incarnation.
  Status set_meta(Bytes meta);
  /// Marks a failed member as left everywhere (see Memberlist::force_leave).
  Status force_leave(const std::string& node);

  /// Starts a join with these addresses and returns them as understood ("ip:port", or
  /// "name:port" for names). IP literals are joined at once; names are resolved through
  /// options.offload and joined when the lookup posts back (failures are logged), so the loop
  /// never waits for DNS. invalid_argument if no address parses.
  Result<std::vector<std::string>> join(const std::vector<std::string>& addresses);

  /// The bound port (after start), and the advertised "ip:port".
  std::uint16_t port() const { return port_; }
  std::string address() const;
  /// The core, for read-only views; nullptr before start().
  const Memberlist* core() const { return core_.get(); }
  /// Inputs dropped so far, by reason name ("bad_crc"...).
  const std::map<std::string, std::uint64_t>& dropped() const { return dropped_; }

  /// {"members":[{name,address,state,incarnation,meta_bytes}],"awareness":N,"suspicions":[..]}
  nlohmann::json members_json() const;
  /// {"address":"ip:port","members":N,"alive":N}
  nlohmann::json status_json() const;

 private:
  asio::awaitable<void> receive_loop();
  asio::awaitable<void> pause_after_error(std::string_view what, boost::system::error_code ec);
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve_stream(asio::ip::tcp::socket socket);
  asio::awaitable<void> run_stream(StreamRequest request);
  void apply(Effects fx);
  void arm(Instant when);
  void close();
  void count_drop(const WireError& error);
  void join_seeds(const std::vector<Address>& seeds);

  asio::io_context& loop_;
  ServiceOptions options_;
  EventSink on_event_;
  Application application_;
  Bytes user_state_;
  std::unique_ptr<Memberlist> core_;
  asio::ip::udp::socket udp_;
  asio::ip::tcp::acceptor acceptor_;
  asio::steady_timer wakeup_;
  asio::steady_timer leave_guard_;
  std::vector<std::uint8_t> rx_;
  std::map<std::string, std::uint64_t> dropped_;
  std::chrono::steady_clock::time_point last_drop_log_{};
  std::chrono::steady_clock::time_point last_error_log_{};
  int errors_in_a_row_ = 0;
  std::uint16_t port_ = 0;
  bool stopping_ = false, closed_ = false;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  ///< lookups posting back check it
};

}  // namespace constellation::gossip
