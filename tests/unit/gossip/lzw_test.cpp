// LZW against Go's compress/lzw output (go_vectors.hpp): identical bytes when compressing,
// and decompression of Go streams, including one long enough to pass the 4095-code reset.
#include <gtest/gtest.h>

#include "agent/gossip/framing.hpp"
#include "agent/gossip/lzw.hpp"
#include "agent/gossip/message_codec.hpp"
#include "tests/unit/gossip/go_vectors.hpp"
#include "tests/unit/gossip/wire_bytes.hpp"

namespace constellation::gossip {
namespace {

using testing::bytes_of;
using testing::to_hex;
using testing::wire;

/// The 20 000-byte input go_vectors_gen.go compressed into kLzwBig (a small-alphabet LCG
/// stream: long enough to fill the code table and force clear codes).
Bytes go_big_input() {
  Bytes big(20000);
  std::uint32_t x = 1;
  for (auto& b : big) {
    x = x * 1103515245u + 12345u;
    b = static_cast<std::uint8_t>(static_cast<std::uint8_t>(x >> 16) % 7);
  }
  return big;
}

void expect_go_stream(const Bytes& input, const char* go_hex) {
  EXPECT_EQ(to_hex(lzw_compress(input)), go_hex);
  auto inflated = lzw_decompress(wire(go_hex));
  ASSERT_TRUE(inflated.has_value()) << inflated.error().detail;
  EXPECT_EQ(*inflated, input);
}

TEST(Lzw, EmptyInputMatchesGo) {
  expect_go_stream({}, go_vectors::kLzwEmpty);
}

TEST(Lzw, RepeatedByteMatchesGo) {
  expect_go_stream(bytes_of("aaa"), go_vectors::kLzwAaa);
}

TEST(Lzw, ClassicTextMatchesGo) {
  expect_go_stream(bytes_of("TOBEORNOTTOBEORTOBEORNOT"), go_vectors::kLzwTobe);
}

TEST(Lzw, LongInputThroughCodeTableResetMatchesGo) {
  expect_go_stream(go_big_input(), go_vectors::kLzwBig);
}

TEST(Lzw, RoundTripsInputsAcrossEveryWidthChange) {
  for (std::size_t size : {1u, 2u, 255u, 256u, 511u, 512u, 1023u, 4096u, 70000u}) {
    Bytes input(size);
    std::uint32_t x = static_cast<std::uint32_t>(size);
    for (auto& b : input) {
      x = x * 1664525u + 1013904223u;
      b = static_cast<std::uint8_t>(x >> 24);
    }
    auto inflated = lzw_decompress(lzw_compress(input));
    ASSERT_TRUE(inflated.has_value()) << size;
    EXPECT_EQ(*inflated, input) << size;
  }
}

TEST(Lzw, MissingEofIsTruncated) {
  Bytes stream = wire(go_vectors::kLzwTobe);
  stream.resize(stream.size() - 2);
  EXPECT_EQ(lzw_decompress(stream).error().reason, DropReason::truncated);
}

TEST(Lzw, CodeBeyondTheTableIsMalformed) {
  // clear (256) then code 300 while only 257 codes exist: 9-bit LSB codes 0x100, 0x12c.
  const std::uint32_t bits = 0x100 | 0x12cu << 9;
  const Bytes stream{static_cast<std::uint8_t>(bits), static_cast<std::uint8_t>(bits >> 8),
                     static_cast<std::uint8_t>(bits >> 16)};
  EXPECT_EQ(lzw_decompress(stream).error().reason, DropReason::malformed);
}

TEST(Lzw, OutputBeyondTheLimitIsOversized) {
  const Bytes input(10000, 'z');
  auto inflated = lzw_decompress(lzw_compress(input), 9999);
  ASSERT_FALSE(inflated.has_value());
  EXPECT_EQ(inflated.error().reason, DropReason::oversized);
}

TEST(CompressEnvelope, MatchesMemberlistCompressedPing) {
  const Bytes ping = wire(go_vectors::kPing);
  EXPECT_EQ(to_hex(compress_command(ping)), go_vectors::kPingCompressed);
  auto inflated = decompress_command(wire(go_vectors::kPingCompressed));
  ASSERT_TRUE(inflated.has_value());
  EXPECT_EQ(*inflated, ping);
}

TEST(CompressEnvelope, UnknownAlgorithmIsMalformed) {
  const Bytes envelope = encode(Compress{.algo = 1, .buf = lzw_compress(bytes_of("x"))});
  EXPECT_EQ(decompress_command(envelope).error().reason, DropReason::malformed);
}

}  // namespace
}  // namespace constellation::gossip
