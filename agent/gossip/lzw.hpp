// LZW exactly as Go's compress/lzw with LSB bit order and 8-bit literals, which memberlist
// uses for compressMsg: clear 256, EOF 257, codes 9..12 bits, the width grows when the next
// code reaches 2^width (no "early change"), a clear at code 4095. Pure functions, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "agent/gossip/messages.hpp"
#include "agent/gossip/wire_error.hpp"

namespace constellation::gossip {

/// Decompressed sizes above this are refused (`oversized`); upstream memberlist caps at 40 MiB.
inline constexpr std::size_t kMaxDecompressedSize = 40u << 20;

/// Compresses `input` into the stream Go's lzw.NewWriter(w, lzw.LSB, 8) + Close() produces.
Bytes lzw_compress(std::span<const std::uint8_t> input);

/// Decompresses a Go LZW (LSB, 8) stream. `truncated` if the EOF code is missing, `malformed`
/// for an invalid code, `oversized` beyond `max_output` bytes. Bytes after EOF are ignored.
WireResult<Bytes> lzw_decompress(std::span<const std::uint8_t> input,
                                 std::size_t max_output = kMaxDecompressedSize);

}  // namespace constellation::gossip
