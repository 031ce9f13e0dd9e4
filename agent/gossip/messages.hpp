// The memberlist wire messages as plain C++ values: one struct per Go struct, with the Go
// field names (which are the msgpack map keys) noted beside each member. Pure data; the
// encoding rules live in message_codec.hpp. See ../shared/contracts/memberlist-wire.md §3-4.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace constellation::gossip {

/// Raw bytes on the wire (IP addresses, payloads, ciphertext).
using Bytes = std::vector<std::uint8_t>;

/// First byte of every command. The numeric values are part of the protocol ("ONLY APPEND").
enum class MessageType : std::uint8_t {
  ping = 0,
  indirect_ping = 1,
  ack_resp = 2,
  suspect = 3,
  alive = 4,
  dead = 5,
  push_pull = 6,
  compound = 7,
  user = 8,
  compress = 9,
  encrypt = 10,
  nack_resp = 11,
  has_crc = 12,
  err = 13,
  has_label = 244,  ///< memberlist >= 0.3 only; Debian's 0.2.2 rejects it
};

/// Largest node meta memberlist allows (MetaMaxSize); encoders refuse more.
inline constexpr std::size_t kMaxMetaSize = 512;

/// `Vsn`: protocol and delegate version ranges. Travels as a 6-byte raw string, not an array.
/// Zero by default, as Go leaves a missing field; senders fill it in (see kSerfVersions).
struct VersionVector {
  std::uint8_t pmin = 0, pmax = 0, pcur = 0;  ///< memberlist protocol min/max/current
  std::uint8_t dmin = 0, dmax = 0, dcur = 0;  ///< delegate (application) min/max/current
  friend bool operator==(const VersionVector&, const VersionVector&) = default;
};

/// What Debian's serf 0.9.4 advertises (01 05 02 02 05 05); D-versions overlapping [2,5]
/// are required to join a serf cluster.
inline constexpr VersionVector kSerfVersions{1, 5, 2, 2, 5, 5};

/// Member state as carried in push/pull (`State` int); other values are decoded as malformed.
enum class NodeState : std::uint8_t { alive = 0, suspect = 1, dead = 2, left = 3 };

/// ping (0). Source* are omitempty: left out of the map when zero.
struct Ping {
  std::uint32_t seq_no = 0;       ///< SeqNo
  std::string node;               ///< Node: target's name; "" means "don't check"
  Bytes source_addr;              ///< SourceAddr (omitempty)
  std::uint16_t source_port = 0;  ///< SourcePort (omitempty)
  std::string source_node;        ///< SourceNode (omitempty)
  friend bool operator==(const Ping&, const Ping&) = default;
};

/// indirectPingReq (1).
struct IndirectPing {
  std::uint32_t seq_no = 0;       ///< SeqNo
  Bytes target;                   ///< Target: IP bytes (4 or 16)
  std::uint16_t port = 0;         ///< Port
  std::string node;               ///< Node
  bool nack = false;              ///< Nack: always present
  Bytes source_addr;              ///< SourceAddr (omitempty)
  std::uint16_t source_port = 0;  ///< SourcePort (omitempty)
  std::string source_node;        ///< SourceNode (omitempty)
  friend bool operator==(const IndirectPing&, const IndirectPing&) = default;
};

/// ackResp (2). Payload nil (nullopt, 0xc0) and empty (0xa0) are distinct on the wire.
struct AckResp {
  std::uint32_t seq_no = 0;      ///< SeqNo
  std::optional<Bytes> payload;  ///< Payload
  friend bool operator==(const AckResp&, const AckResp&) = default;
};

/// nackResp (11).
struct NackResp {
  std::uint32_t seq_no = 0;  ///< SeqNo
  friend bool operator==(const NackResp&, const NackResp&) = default;
};

/// errResp (13), a TCP reply.
struct ErrResp {
  std::string error;  ///< Error
  friend bool operator==(const ErrResp&, const ErrResp&) = default;
};

/// suspect (3).
struct Suspect {
  std::uint32_t incarnation = 0;  ///< Incarnation
  std::string node;               ///< Node
  std::string from;               ///< From: who suspects
  friend bool operator==(const Suspect&, const Suspect&) = default;
};

/// alive (4). Meta nil (nullopt) and empty are distinct on the wire; at most kMaxMetaSize.
struct Alive {
  std::uint32_t incarnation = 0;  ///< Incarnation
  std::string node;               ///< Node
  Bytes addr;                     ///< Addr: IP bytes
  std::uint16_t port = 0;         ///< Port
  std::optional<Bytes> meta;      ///< Meta
  VersionVector vsn;              ///< Vsn
  friend bool operator==(const Alive&, const Alive&) = default;
};

/// dead (5). From == Node means a graceful leave.
struct Dead {
  std::uint32_t incarnation = 0;  ///< Incarnation
  std::string node;               ///< Node
  std::string from;               ///< From
  friend bool operator==(const Dead&, const Dead&) = default;
};

/// user (8) on UDP: the raw delegate bytes that follow the type byte.
struct UserMsg {
  Bytes payload;
  friend bool operator==(const UserMsg&, const UserMsg&) = default;
};

/// compress (9) envelope. Algo 0 is LZW, the only algorithm memberlist defines.
struct Compress {
  std::uint8_t algo = 0;  ///< Algo
  Bytes buf;              ///< Buf: the compressed command
  friend bool operator==(const Compress&, const Compress&) = default;
};

/// pushPullHeader: first map of a push/pull (6) stream message.
struct PushPullHeader {
  std::int64_t nodes = 0;           ///< Nodes
  std::int64_t user_state_len = 0;  ///< UserStateLen
  bool join = false;                ///< Join
  friend bool operator==(const PushPullHeader&, const PushPullHeader&) = default;
};

/// pushNodeState: one member of the node table in a push/pull.
struct PushNodeState {
  std::string name;                    ///< Name
  Bytes addr;                          ///< Addr
  std::uint16_t port = 0;              ///< Port
  std::optional<Bytes> meta;           ///< Meta
  std::uint32_t incarnation = 0;       ///< Incarnation
  NodeState state = NodeState::alive;  ///< State
  VersionVector vsn;                   ///< Vsn
  friend bool operator==(const PushNodeState&, const PushNodeState&) = default;
};

/// userMsgHeader: precedes the raw bytes of a user message on a TCP stream.
struct UserMsgHeader {
  std::int64_t user_msg_len = 0;  ///< UserMsgLen
  friend bool operator==(const UserMsgHeader&, const UserMsgHeader&) = default;
};

/// A whole push/pull (6) message: header fields, the node table and the delegate's state.
struct PushPull {
  bool join = false;
  std::vector<PushNodeState> nodes;
  Bytes user_state;
  friend bool operator==(const PushPull&, const PushPull&) = default;
};

/// One decoded command that a UDP packet (after unwrapping) can deliver to the core.
using Message =
    std::variant<Ping, IndirectPing, AckResp, NackResp, Suspect, Alive, Dead, UserMsg, ErrResp>;

}  // namespace constellation::gossip
