// Encoding and decoding of single memberlist commands: `[type byte][msgpack map]`, byte-exact
// with what go-msgpack writes (sorted keys, raw strings, nil vs empty slices). Pure functions;
// framing (compound, compress, CRC, encryption, label) is in packet.hpp and stream.hpp.
//
// Thread-safety: stateless, callable from any thread. Failure: decoders return a WireError
// and never throw or crash on any input; encoders only fail on values memberlist forbids.
#pragma once

#include <cstdint>
#include <span>

#include "agent/gossip/messages.hpp"
#include "agent/gossip/wire_error.hpp"

namespace constellation::gossip {

/// Encodes a ping command (type 0).
Bytes encode(const Ping& msg);
/// Encodes an indirect ping request (type 1).
Bytes encode(const IndirectPing& msg);
/// Encodes an ack (type 2).
Bytes encode(const AckResp& msg);
/// Encodes a nack (type 11).
Bytes encode(const NackResp& msg);
/// Encodes an error reply (type 13).
Bytes encode(const ErrResp& msg);
/// Encodes a suspect (type 3).
Bytes encode(const Suspect& msg);
/// Encodes a dead (type 5).
Bytes encode(const Dead& msg);
/// Encodes a UDP user message: `[8]` followed by the raw payload.
Bytes encode(const UserMsg& msg);
/// Encodes a compress envelope (type 9) around already-compressed bytes.
Bytes encode(const Compress& msg);
/// Encodes an alive (type 4); `oversized` if Meta exceeds kMaxMetaSize (Go would panic).
WireResult<Bytes> encode(const Alive& msg);
/// Encodes any message of the variant.
WireResult<Bytes> encode(const Message& msg);

/// The type byte of a command; `truncated` for an empty buffer.
WireResult<MessageType> peek_type(std::span<const std::uint8_t> command);

/// Decodes one command carrying a message body (types 0-5, 8, 11, 13). Framing types
/// (compound, compress, CRC, encrypt, label, push/pull) give `unknown_type`: unwrap them with
/// packet.hpp or stream.hpp. Bytes after the msgpack body are ignored, as Go does.
WireResult<Message> decode_message(std::span<const std::uint8_t> command);

/// Decodes a compress envelope command (`[9][map]`), without decompressing it.
WireResult<Compress> decode_compress(std::span<const std::uint8_t> command);

}  // namespace constellation::gossip
