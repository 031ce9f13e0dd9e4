// UDP packets as memberlist builds and reads them (memberlist-wire.md §5.1): send is
// command -> compress if smaller -> hasCrc -> AES-GCM -> label; receive undoes it outside-in
// and flattens compounds and compressed parts into messages. build_packet also enforces the
// payload limit (1232 bytes by default, so gossip never fragments on Tailscale's 1280 MTU),
// packing as many piggybacked messages as fit.
//
// Ownership: PacketOptions points at a Keyring it does not own; it must outlive the call.
// Threading: pure functions. Failure: WireErrors, never throws, never crashes on any input.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "agent/gossip/keyring.hpp"
#include "agent/gossip/messages.hpp"
#include "agent/gossip/wire_error.hpp"

namespace constellation::gossip {

/// Default UDP payload limit: Tailscale's 1280-byte MTU minus IPv6 (40) and UDP (8) headers.
inline constexpr std::size_t kDefaultMaxPayload = 1232;
/// memberlist's receive buffer; bigger datagrams cannot have come from a memberlist peer.
inline constexpr std::size_t kMaxDatagram = 65536;
/// Total bytes all compressed parts of one datagram may inflate to. A Go sender compresses
/// commands that fit its 64 KiB buffer, so more is a decompression bomb (`oversized`).
inline constexpr std::size_t kMaxInflatedPerDatagram = 4 * kMaxDatagram;

/// How packets to one peer are framed, and which incoming packets are accepted.
struct PacketOptions {
  const Keyring* keyring = nullptr;  ///< encrypt outgoing, decrypt incoming when set
  EncryptionVersion encryption_version = EncryptionVersion::v1;
  bool verify_incoming = true;  ///< with a keyring: drop what does not decrypt
  bool compress = true;         ///< LZW-compress when that makes the command smaller
  bool crc = false;             ///< add hasCrc: only when the peer's PMax >= 5
  std::string label;            ///< hasLabel (memberlist >= 0.3); empty: none. Not for Debian serf
  bool skip_inbound_label_check = false;
  std::size_t max_payload = kDefaultMaxPayload;  ///< largest datagram build_packet returns
};

/// Bytes the outer wrappers (CRC, encryption, label) add to a command with these options.
std::size_t framing_overhead(const PacketOptions& options);

/// Wraps one command (a message, a compound or a UDP user message) into a datagram.
/// `oversized` if the result exceeds options.max_payload or the label is over 255 bytes.
WireResult<Bytes> seal_packet(std::span<const std::uint8_t> command, const PacketOptions& options,
                              const Nonce& nonce);

/// A compound (or a lone command) chosen from candidates to fit a byte budget.
struct CompoundPlan {
  Bytes command;                      ///< empty if nothing fits
  std::vector<std::size_t> included;  ///< indices of the candidates it carries, in order
};
/// Takes candidates in order, skipping any that would overflow `budget` (command bytes,
/// compound overhead included), up to 255 parts. One part is sent bare, not as a compound.
CompoundPlan pack_compound(std::span<const Bytes> candidates, std::size_t budget);

/// A datagram ready to send and which messages it carries.
struct BuiltPacket {
  Bytes datagram;
  std::vector<std::size_t> included;  ///< indices into `messages`; always starts with 0
};
/// Builds one datagram from `messages`: messages[0] (a ping, an ack, ...) must fit, the rest
/// are piggybacked broadcasts taken while they fit into options.max_payload after framing.
/// Callers use `included` to count transmissions. `oversized` if messages[0] alone cannot fit
/// (or `messages` is empty).
WireResult<BuiltPacket> build_packet(std::span<const Bytes> messages, const PacketOptions& options,
                                     const Nonce& nonce);

/// What one datagram delivered.
struct DecodedPacket {
  std::vector<Message> messages;         ///< in order, compounds and compression flattened
  std::vector<WireError> dropped_parts;  ///< compound parts that failed; the others still count
  bool encrypted = false;
  bool had_crc = false;
};
/// Reads a datagram: label check, decryption (plaintext accepted only if verify_incoming is
/// off), CRC, then the command with nested compounds/compression (at most 4 levels deep,
/// kMaxInflatedPerDatagram bytes inflated in all).
/// A failure of the outer layers or of a lone command drops the whole packet.
WireResult<DecodedPacket> decode_packet(std::span<const std::uint8_t> datagram,
                                        const PacketOptions& options);

}  // namespace constellation::gossip
