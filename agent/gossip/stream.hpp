// TCP stream messages (memberlist-wire.md §6): push/pull with its node table and user state,
// reliable user messages, fallback ping/ack, error replies, and the encryptMsg frame
// [10][u32 BE length][sealed]. Plaintext streams have no length prefix, so decoders report
// `truncated` while the bytes read so far are not a whole message: the transport keeps
// reading and tries again.
//
// Threading: pure functions. Failure: WireErrors, never throws, never crashes on any input.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "agent/gossip/keyring.hpp"
#include "agent/gossip/messages.hpp"
#include "agent/gossip/wire_error.hpp"

namespace constellation::gossip {

/// Limits memberlist v0.6 enforces on push/pull, applied whatever the peer's version.
inline constexpr std::int64_t kMaxPushPullNodes = 1 << 20;
inline constexpr std::int64_t kMaxStreamPayload = 20 << 20;  ///< user state, user message
/// Bytes of the encryptMsg header: type byte and a big-endian u32 length.
inline constexpr std::size_t kStreamFrameHeader = 5;

/// `[6][pushPullHeader][pushNodeState]...[user state]`; `oversized` for a meta over 512 bytes
/// or more than the limits above.
WireResult<Bytes> encode_push_pull(const PushPull& message);
/// `[8][userMsgHeader][payload]`, a reliable user message.
WireResult<Bytes> encode_stream_user(std::span<const std::uint8_t> payload);

/// One plaintext stream message.
using StreamMessage = std::variant<Ping, AckResp, ErrResp, PushPull, UserMsg>;

/// A decoded stream message and the bytes it used (what follows belongs to no one in
/// memberlist's one-message-per-connection protocol, but is reported for the caller).
struct DecodedStream {
  StreamMessage message;
  std::size_t consumed = 0;
};
/// Decodes a plaintext stream message, inflating a compress envelope first (serf compresses
/// every TCP reply). `truncated` means "read more"; `unknown_type` for kinds streams do not
/// carry.
WireResult<DecodedStream> decode_stream(std::span<const std::uint8_t> buf);

/// `[10][u32 BE n][sealed]`, with AAD = the 5 header bytes followed by `label`.
Bytes seal_stream(const Keyring& keyring, EncryptionVersion version,
                  std::span<const std::uint8_t> plaintext, std::string_view label,
                  const Nonce& nonce);
/// Total bytes of the encrypted frame that starts `buf`, once its 5-byte header is in;
/// nullopt before that. `oversized` beyond kMaxStreamPayload, `malformed` if `buf` is not an
/// encryptMsg.
WireResult<std::optional<std::size_t>> stream_frame_size(std::span<const std::uint8_t> buf);
/// Opens a complete encrypted frame; `truncated` if `buf` is shorter than the frame.
WireResult<Bytes> open_stream(const Keyring& keyring, std::span<const std::uint8_t> buf,
                              std::string_view label);

}  // namespace constellation::gossip
