// The vocabulary of the sans-IO gossip core: its configuration and the effects every input
// returns (datagrams to send, TCP streams to open, when to call tick next, member events and
// user data for the application). The asio transport and the simulator both consume these.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/gossip/membership.hpp"
#include "agent/gossip/messages.hpp"
#include "agent/gossip/packet.hpp"
#include "agent/gossip/timing.hpp"
#include "agent/gossip/wire_error.hpp"
#include "shared/error.hpp"

namespace constellation::gossip {

/// Time as the core sees it: monotonic, supplied by the caller (real or virtual).
using Instant = std::chrono::steady_clock::time_point;

/// Static configuration of one core.
struct CoreConfig {
  std::string name;           ///< unique node name
  Address address;            ///< advertised gossip address (UDP and TCP)
  std::optional<Bytes> meta;  ///< node meta, at most kMaxMetaSize bytes
  VersionVector vsn = kSerfVersions;
  Timing timing = Timing::fast();
  PacketOptions packet;    ///< framing for datagrams (keyring, compression, payload cap)
  std::uint64_t seed = 1;  ///< seeds the core's RNG (probe order, fanout choice)
};

/// Checks a config before a core is built: a name, a 4- or 16-byte address with a port, meta
/// within kMaxMetaSize, positive intervals with ProbeTimeout < ProbeInterval, multipliers of
/// at least 1. invalid_argument naming the field otherwise.
Status validate(const CoreConfig& config);

/// What happened to a member, as the application and the journal see it.
enum class MemberEventKind { join, alive, suspect, dead, left, update, reaped };
/// "join", "alive", ...
std::string_view member_event_name(MemberEventKind kind);

/// A change in the member table.
struct MemberEvent {
  MemberEventKind kind;
  std::string name;
  std::uint32_t incarnation = 0;
  Address address;
  std::string by;  ///< who caused it: the accuser of suspect/dead, else the member itself
};

/// A datagram to send.
struct OutPacket {
  Address to;
  Bytes bytes;
};

/// Why the core wants a TCP stream.
enum class StreamKind { push_pull, join, ping, user };

/// Open a TCP connection to `to`, write `bytes`, read one reply message and hand it to
/// Core::handle_stream_reply(id, ...) — or report failure (nullopt) by `deadline`. A `user`
/// stream (a reliable user message) has no reply: write, close, then report nullopt.
struct StreamRequest {
  std::uint64_t id = 0;
  Address to;
  StreamKind kind = StreamKind::push_pull;
  Bytes bytes;
  Instant deadline;
};

/// A peer's push/pull user state (the application's full snapshot) to merge.
struct RemoteUserState {
  Bytes state;
  bool join = false;
};

/// Everything one input produced. Inputs never perform I/O themselves.
struct Effects {
  std::vector<OutPacket> packets;
  std::vector<StreamRequest> streams;
  std::optional<Bytes> stream_reply;  ///< reply to write on an inbound stream (handle_stream)
  std::vector<MemberEvent> events;
  std::vector<Bytes> user_messages;  ///< user broadcasts received
  std::vector<RemoteUserState> user_states;
  std::vector<std::string> failed_probes;  ///< members whose probe chain failed just now
  std::vector<WireError> dropped;          ///< inputs dropped, for per-reason counters
  std::optional<std::size_t> joined;       ///< a join finished: peers that answered
  bool join_failed = false;                ///< join gave up after join_max_attempts
  bool left = false;                       ///< leave finished; the core now ignores input
  std::optional<Instant> next_wakeup;      ///< call tick() at (or after) this time
};

}  // namespace constellation::gossip
