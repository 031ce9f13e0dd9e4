// Stream messages: push/pull is a header map, then `Nodes` node-state maps, then raw user
// state whose length the header gives; user messages likewise. Encryption frames the whole
// plaintext message with a length, and binds that header as GCM additional data.
#include "agent/gossip/stream.hpp"

#include "agent/gossip/framing.hpp"
#include "agent/gossip/message_codec.hpp"
#include "agent/gossip/msgpack_fields.hpp"

namespace constellation::gossip {
namespace {

void put_u32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

/// The raw tail of a push/pull or user message: `len` bytes at `offset`.
WireResult<Bytes> read_tail(std::span<const std::uint8_t> buf, std::size_t& offset,
                            std::int64_t len, std::string_view what) {
  if (len < 0) return wire_fail(DropReason::malformed, std::string(what) + " is negative");
  if (len > kMaxStreamPayload) {
    return wire_fail(DropReason::oversized, std::string(what) + " exceeds 20 MiB");
  }
  const auto n = static_cast<std::size_t>(len);
  if (buf.size() - offset < n) {
    return wire_fail(DropReason::truncated, std::string(what) + " is cut short");
  }
  Bytes tail(buf.begin() + static_cast<std::ptrdiff_t>(offset),
             buf.begin() + static_cast<std::ptrdiff_t>(offset + n));
  offset += n;
  return tail;
}

WireResult<DecodedStream> read_push_pull(std::span<const std::uint8_t> buf) {
  std::size_t offset = 1;
  auto header = detail::read_next<PushPullHeader>(buf, offset);
  if (!header) return std::unexpected(header.error());
  if (header->nodes < 0) return wire_fail(DropReason::malformed, "negative node count");
  if (header->nodes > kMaxPushPullNodes) {
    return wire_fail(DropReason::oversized, "push/pull with more than 2^20 nodes");
  }
  // Each node state takes at least one byte: a count beyond the input is "read more".
  if (static_cast<std::size_t>(header->nodes) > buf.size() - offset) {
    return wire_fail(DropReason::truncated, "push/pull node table is cut short");
  }
  PushPull message;
  message.join = header->join;
  message.nodes.reserve(static_cast<std::size_t>(header->nodes));
  for (std::int64_t i = 0; i < header->nodes; ++i) {
    auto node = detail::read_next<PushNodeState>(buf, offset);
    if (!node) return std::unexpected(node.error());
    message.nodes.push_back(std::move(*node));
  }
  auto state = read_tail(buf, offset, header->user_state_len, "push/pull user state");
  if (!state) return std::unexpected(state.error());
  message.user_state = std::move(*state);
  return DecodedStream{std::move(message), offset};
}

WireResult<DecodedStream> read_user(std::span<const std::uint8_t> buf) {
  std::size_t offset = 1;
  auto header = detail::read_next<UserMsgHeader>(buf, offset);
  if (!header) return std::unexpected(header.error());
  auto payload = read_tail(buf, offset, header->user_msg_len, "stream user message");
  if (!payload) return std::unexpected(payload.error());
  return DecodedStream{UserMsg{std::move(*payload)}, offset};
}

template <typename T>
WireResult<DecodedStream> read_simple(std::span<const std::uint8_t> buf) {
  std::size_t offset = 1;
  auto body = detail::read_next<T>(buf, offset);
  if (!body) return std::unexpected(body.error());
  return DecodedStream{std::move(*body), offset};
}

WireResult<DecodedStream> read_stream(std::span<const std::uint8_t> buf, bool allow_compressed) {
  auto type = peek_type(buf);
  if (!type) return std::unexpected(type.error());
  switch (*type) {
    case MessageType::push_pull:
      return read_push_pull(buf);
    case MessageType::user:
      return read_user(buf);
    case MessageType::ping:
      return read_simple<Ping>(buf);
    case MessageType::ack_resp:
      return read_simple<AckResp>(buf);
    case MessageType::err:
      return read_simple<ErrResp>(buf);
    case MessageType::compress: {
      if (!allow_compressed) break;
      std::size_t offset = 1;
      auto envelope = detail::read_next<Compress>(buf, offset);
      if (!envelope) return std::unexpected(envelope.error());
      auto inflated = decompress_command(buf.first(offset));
      if (!inflated) return std::unexpected(inflated.error());
      auto inner = read_stream(*inflated, false);
      if (!inner) {
        // The envelope is complete, so a short inner message is damage, not "read more".
        if (inner.error().reason == DropReason::truncated) {
          return wire_fail(DropReason::malformed, "compressed stream message is incomplete");
        }
        return inner;
      }
      inner->consumed = offset;
      return inner;
    }
    default:
      break;
  }
  return wire_fail(DropReason::unknown_type,
                   "message type " + std::to_string(buf[0]) + " is not a stream message");
}

}  // namespace

WireResult<Bytes> encode_push_pull(const PushPull& message) {
  if (static_cast<std::int64_t>(message.nodes.size()) > kMaxPushPullNodes ||
      static_cast<std::int64_t>(message.user_state.size()) > kMaxStreamPayload) {
    return wire_fail(DropReason::oversized, "push/pull exceeds the node or user-state limit");
  }
  Bytes out{static_cast<std::uint8_t>(MessageType::push_pull)};
  detail::ByteSink sink(out);
  detail::Packer packer(sink);
  detail::write_body(
      packer, PushPullHeader{static_cast<std::int64_t>(message.nodes.size()),
                             static_cast<std::int64_t>(message.user_state.size()), message.join});
  for (const PushNodeState& node : message.nodes) {
    if (node.meta && node.meta->size() > kMaxMetaSize) {
      return wire_fail(DropReason::oversized, "meta of node " + node.name + " exceeds 512 bytes");
    }
    detail::write_body(packer, node);
  }
  out.insert(out.end(), message.user_state.begin(), message.user_state.end());
  return out;
}

WireResult<Bytes> encode_stream_user(std::span<const std::uint8_t> payload) {
  if (static_cast<std::int64_t>(payload.size()) > kMaxStreamPayload) {
    return wire_fail(DropReason::oversized, "stream user message exceeds 20 MiB");
  }
  Bytes out{static_cast<std::uint8_t>(MessageType::user)};
  detail::ByteSink sink(out);
  detail::Packer packer(sink);
  detail::write_body(packer, UserMsgHeader{static_cast<std::int64_t>(payload.size())});
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

WireResult<DecodedStream> decode_stream(std::span<const std::uint8_t> buf) {
  return read_stream(buf, true);
}

Bytes seal_stream(const Keyring& keyring, EncryptionVersion version,
                  std::span<const std::uint8_t> plaintext, std::string_view label,
                  const Nonce& nonce) {
  const std::size_t sealed_size =
      version == EncryptionVersion::v1
          ? 1 + kNonceSize + plaintext.size() + kTagSize
          : 1 + kNonceSize + plaintext.size() + (16 - plaintext.size() % 16) + kTagSize;
  Bytes header{static_cast<std::uint8_t>(MessageType::encrypt)};
  put_u32(header, static_cast<std::uint32_t>(sealed_size));
  Bytes aad = header;
  aad.insert(aad.end(), label.begin(), label.end());
  Bytes sealed = encrypt(keyring, version, plaintext, aad, nonce);
  header.insert(header.end(), sealed.begin(), sealed.end());
  return header;
}

WireResult<std::optional<std::size_t>> stream_frame_size(std::span<const std::uint8_t> buf) {
  if (!buf.empty() && buf[0] != static_cast<std::uint8_t>(MessageType::encrypt)) {
    return wire_fail(DropReason::malformed, "stream is not encrypted");
  }
  if (buf.size() < kStreamFrameHeader) return std::optional<std::size_t>{};
  const std::size_t n = std::size_t{buf[1]} << 24 | std::size_t{buf[2]} << 16 |
                        std::size_t{buf[3]} << 8 | std::size_t{buf[4]};
  if (n > static_cast<std::size_t>(kMaxStreamPayload)) {
    return wire_fail(DropReason::oversized, "encrypted stream frame exceeds 20 MiB");
  }
  return std::optional<std::size_t>{kStreamFrameHeader + n};
}

WireResult<Bytes> open_stream(const Keyring& keyring, std::span<const std::uint8_t> buf,
                              std::string_view label) {
  auto size = stream_frame_size(buf);
  if (!size) return std::unexpected(size.error());
  if (!*size || buf.size() < **size) {
    return wire_fail(DropReason::truncated, "encrypted stream frame is cut short");
  }
  Bytes aad(buf.begin(), buf.begin() + kStreamFrameHeader);
  aad.insert(aad.end(), label.begin(), label.end());
  return decrypt(keyring, buf.subspan(kStreamFrameHeader, **size - kStreamFrameHeader), aad);
}

}  // namespace constellation::gossip
