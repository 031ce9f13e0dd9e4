// The wrappers memberlist puts around commands: compound (7), hasCrc (12), compress (9) and
// the hasLabel header (244). Each is a pure pair of functions; packet.hpp and stream.hpp
// chain them in memberlist's order. Any thread; never throws; failures are WireErrors.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "agent/gossip/lzw.hpp"
#include "agent/gossip/messages.hpp"
#include "agent/gossip/wire_error.hpp"

namespace constellation::gossip {

/// Compound limits: at most 255 parts, each at most 65 535 bytes.
inline constexpr std::size_t kMaxCompoundParts = 255;
inline constexpr std::size_t kMaxCompoundPartSize = 65535;
/// Bytes a compound adds: 2 for the header, 2 per part (memberlist's budget accounting).
inline constexpr std::size_t kCompoundHeaderOverhead = 2;
inline constexpr std::size_t kCompoundPartOverhead = 2;
/// Bytes the hasCrc wrapper adds.
inline constexpr std::size_t kCrcOverhead = 5;

/// `[7][count][len u16 BE]...[part]...`; `oversized` beyond 255 parts or 65 535 bytes a part.
WireResult<Bytes> make_compound(std::span<const Bytes> parts);

/// The parts of a compound command (views into the input) and how many tail parts were cut.
struct CompoundParts {
  std::vector<std::span<const std::uint8_t>> parts;
  std::size_t truncated_parts = 0;  ///< parts whose bytes ran past the end (Go drops them too)
};
/// Splits a compound command (starting with its type byte 7). `truncated` if the count or
/// the length table is cut short; parts that are cut short are counted, not returned.
WireResult<CompoundParts> split_compound(std::span<const std::uint8_t> command);

/// `[12][CRC-32 BE of command][command]`.
Bytes add_crc(std::span<const std::uint8_t> command);
/// True when `buf` carries a hasCrc wrapper (memberlist's test: len >= 5 and buf[0] == 12).
bool has_crc(std::span<const std::uint8_t> buf);
/// Verifies and strips a hasCrc wrapper; `bad_crc` on mismatch. Returns a view into `buf`.
WireResult<std::span<const std::uint8_t>> strip_crc(std::span<const std::uint8_t> buf);

/// `[9][msgpack{Algo:0, Buf:lzw(command)}]`.
Bytes compress_command(std::span<const std::uint8_t> command);
/// Inflates a compress envelope back into the command it wraps, refusing output beyond
/// `max_output` (`oversized`). `malformed` for an unknown algorithm; LZW errors as
/// lzw_decompress reports them.
WireResult<Bytes> decompress_command(std::span<const std::uint8_t> command,
                                     std::size_t max_output = kMaxDecompressedSize);

/// `[244][len][label]` in front of `payload`; `oversized` for a label longer than 255 bytes.
/// An empty label adds nothing. Only for memberlist >= 0.3 peers (Debian serf rejects 244).
WireResult<Bytes> add_label(std::string_view label, std::span<const std::uint8_t> payload);

/// A buffer with its label header (if any) taken off.
struct Labelled {
  std::string_view label;  // empty when there was no header; views the input
  std::span<const std::uint8_t> payload;
};
/// Removes a leading label header; `truncated` if it is cut short, `malformed` if its length
/// byte is 0 (memberlist refuses an empty label header).
WireResult<Labelled> split_label(std::span<const std::uint8_t> buf);

}  // namespace constellation::gossip
