// Compound, CRC, compress and label wrappers (memberlist-wire.md §5.2, 5.3, 5.5, 5.6).
#include "agent/gossip/framing.hpp"

#include "agent/gossip/crc32.hpp"
#include "agent/gossip/lzw.hpp"
#include "agent/gossip/message_codec.hpp"

namespace constellation::gossip {
namespace {

void put_u16(Bytes& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

}  // namespace

WireResult<Bytes> make_compound(std::span<const Bytes> parts) {
  if (parts.size() > kMaxCompoundParts) {
    return wire_fail(DropReason::oversized,
                     std::to_string(parts.size()) + " compound parts; at most 255");
  }
  std::size_t total = kCompoundHeaderOverhead;
  for (const Bytes& part : parts) {
    if (part.size() > kMaxCompoundPartSize) {
      return wire_fail(DropReason::oversized, "compound part over 65535 bytes");
    }
    total += kCompoundPartOverhead + part.size();
  }
  Bytes out;
  out.reserve(total);
  out.push_back(static_cast<std::uint8_t>(MessageType::compound));
  out.push_back(static_cast<std::uint8_t>(parts.size()));
  for (const Bytes& part : parts) put_u16(out, part.size());
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

WireResult<CompoundParts> split_compound(std::span<const std::uint8_t> command) {
  if (command.empty() || command[0] != static_cast<std::uint8_t>(MessageType::compound)) {
    return wire_fail(DropReason::malformed, "not a compound command");
  }
  if (command.size() < 2) return wire_fail(DropReason::truncated, "compound without a count");
  const std::size_t count = command[1];
  auto rest = command.subspan(2);
  if (rest.size() < count * 2) {
    return wire_fail(DropReason::truncated, "compound length table is cut short");
  }
  CompoundParts result;
  result.parts.reserve(count);
  const auto lengths = rest.first(count * 2);
  rest = rest.subspan(count * 2);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t len = std::size_t{lengths[2 * i]} << 8 | lengths[2 * i + 1];
    if (rest.size() < len) {
      result.truncated_parts = count - i;
      break;
    }
    result.parts.push_back(rest.first(len));
    rest = rest.subspan(len);
  }
  return result;
}

Bytes add_crc(std::span<const std::uint8_t> command) {
  const std::uint32_t crc = crc32_ieee(command);
  Bytes out;
  out.reserve(command.size() + kCrcOverhead);
  out.push_back(static_cast<std::uint8_t>(MessageType::has_crc));
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(crc >> shift));
  out.insert(out.end(), command.begin(), command.end());
  return out;
}

bool has_crc(std::span<const std::uint8_t> buf) {
  return buf.size() >= kCrcOverhead && buf[0] == static_cast<std::uint8_t>(MessageType::has_crc);
}

WireResult<std::span<const std::uint8_t>> strip_crc(std::span<const std::uint8_t> buf) {
  if (!has_crc(buf)) return wire_fail(DropReason::truncated, "hasCrc wrapper is cut short");
  const std::uint32_t expected = std::uint32_t{buf[1]} << 24 | std::uint32_t{buf[2]} << 16 |
                                 std::uint32_t{buf[3]} << 8 | std::uint32_t{buf[4]};
  const auto payload = buf.subspan(kCrcOverhead);
  if (crc32_ieee(payload) != expected) {
    return wire_fail(DropReason::bad_crc, "CRC-32 of the payload does not match its header");
  }
  return payload;
}

Bytes compress_command(std::span<const std::uint8_t> command) {
  return encode(Compress{.algo = 0, .buf = lzw_compress(command)});
}

WireResult<Bytes> decompress_command(std::span<const std::uint8_t> command,
                                     std::size_t max_output) {
  auto envelope = decode_compress(command);
  if (!envelope) return std::unexpected(envelope.error());
  if (envelope->algo != 0) {
    return wire_fail(DropReason::malformed,
                     "unknown compression algorithm " + std::to_string(envelope->algo));
  }
  return lzw_decompress(envelope->buf, max_output);
}

WireResult<Bytes> add_label(std::string_view label, std::span<const std::uint8_t> payload) {
  if (label.size() > 255) return wire_fail(DropReason::oversized, "label over 255 bytes");
  Bytes out;
  out.reserve(payload.size() + 2 + label.size());
  if (!label.empty()) {
    out.push_back(static_cast<std::uint8_t>(MessageType::has_label));
    out.push_back(static_cast<std::uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
  }
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

WireResult<Labelled> split_label(std::span<const std::uint8_t> buf) {
  if (buf.empty() || buf[0] != static_cast<std::uint8_t>(MessageType::has_label)) {
    return Labelled{{}, buf};
  }
  if (buf.size() < 2) return wire_fail(DropReason::truncated, "label header without a length");
  const std::size_t len = buf[1];
  if (len == 0) return wire_fail(DropReason::malformed, "empty label header");
  if (buf.size() < 2 + len) return wire_fail(DropReason::truncated, "label is cut short");
  return Labelled{std::string_view(reinterpret_cast<const char*>(buf.data() + 2), len),
                  buf.subspan(2 + len)};
}

}  // namespace constellation::gossip
