// Compound, CRC and label wrappers, against memberlist's own compound bytes and the CRC of a
// captured serf packet.
#include <gtest/gtest.h>

#include "agent/gossip/crc32.hpp"
#include "agent/gossip/framing.hpp"
#include "agent/gossip/message_codec.hpp"
#include "tests/unit/gossip/go_vectors.hpp"
#include "tests/unit/gossip/wire_bytes.hpp"

namespace constellation::gossip {
namespace {

using testing::to_hex;
using testing::wire;

// Captured from serf: gossip alive wrapped in hasCrc (memberlist-wire.md §4).
const char* const kCrcAliveCapture =
    R"(0c eeffa009 04 86 a4"Addr" a4 7f000001 ab"Incarnation" 01 a4"Meta" c0
       a4"Node" a1"c" a4"Port" cd 1f0e a3"Vsn" a6 010502020505)";

std::vector<Bytes> go_compound_parts() {
  Alive alive{.incarnation = 3,
              .node = "node-a",
              .addr = {127, 0, 0, 1},
              .port = 7946,
              .meta = testing::bytes_of("role=x"),
              .vsn = kSerfVersions};
  return {encode(AckResp{.seq_no = 42}), *encode(alive),
          encode(UserMsg{.payload = testing::bytes_of("hello")})};
}

TEST(Compound, EncodesLikeMemberlist) {
  auto compound = make_compound(go_compound_parts());
  ASSERT_TRUE(compound.has_value());
  EXPECT_EQ(to_hex(*compound), go_vectors::kCompound);
}

TEST(Compound, SplitsMemberlistCompoundIntoItsParts) {
  const Bytes go = wire(go_vectors::kCompound);
  auto split = split_compound(go);
  ASSERT_TRUE(split.has_value());
  const auto expected = go_compound_parts();
  ASSERT_EQ(split->parts.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(Bytes(split->parts[i].begin(), split->parts[i].end()), expected[i]);
  }
  EXPECT_EQ(split->truncated_parts, 0u);
}

TEST(Compound, CarriesTheMaximumOf255Parts) {
  std::vector<Bytes> parts;
  for (std::uint32_t i = 0; i < 255; ++i) parts.push_back(encode(NackResp{.seq_no = i}));
  auto compound = make_compound(parts);
  ASSERT_TRUE(compound.has_value());
  auto split = split_compound(*compound);
  ASSERT_TRUE(split.has_value());
  ASSERT_EQ(split->parts.size(), 255u);
  for (std::uint32_t i = 0; i < 255; ++i) {
    auto decoded = decode_message(split->parts[i]);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(std::get<NackResp>(*decoded).seq_no, i);
  }
}

TEST(Compound, RefusesMoreThan255PartsOrOversizedParts) {
  EXPECT_EQ(make_compound(std::vector<Bytes>(256, Bytes{11})).error().reason,
            DropReason::oversized);
  EXPECT_EQ(make_compound(std::vector<Bytes>{Bytes(65536, 8)}).error().reason,
            DropReason::oversized);
}

TEST(Compound, CountsTailPartsThatAreCutShort) {
  Bytes go = wire(go_vectors::kCompound);
  go.resize(go.size() - 1);  // the user message loses its last byte
  auto split = split_compound(go);
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->parts.size(), 2u);
  EXPECT_EQ(split->truncated_parts, 1u);
}

TEST(Compound, ReportsACutLengthTableAsTruncated) {
  EXPECT_EQ(split_compound(wire("07")).error().reason, DropReason::truncated);
  EXPECT_EQ(split_compound(wire("07 03 0012 00")).error().reason, DropReason::truncated);
}

TEST(Crc, MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32_ieee(testing::bytes_of("123456789")), 0xCBF43926u);
  EXPECT_EQ(crc32_ieee({}), 0u);
}

TEST(Crc, WrapsSerfAliveToTheCapturedBytes) {
  const Bytes capture = wire(kCrcAliveCapture);
  const Bytes inner(capture.begin() + 5, capture.end());
  EXPECT_EQ(to_hex(add_crc(inner)), to_hex(capture));
  auto stripped = strip_crc(capture);
  ASSERT_TRUE(stripped.has_value());
  EXPECT_EQ(Bytes(stripped->begin(), stripped->end()), inner);
}

TEST(Crc, DetectsAFlippedBitAnywhere) {
  const Bytes capture = wire(kCrcAliveCapture);
  for (std::size_t i = 1; i < capture.size(); ++i) {
    Bytes damaged = capture;
    damaged[i] ^= 0x10;
    auto stripped = strip_crc(damaged);
    ASSERT_FALSE(stripped.has_value()) << i;
    EXPECT_EQ(stripped.error().reason, DropReason::bad_crc) << i;
  }
}

TEST(Label, PrefixesAndSplitsTheLabelHeader) {
  auto labelled = add_label("prod", wire("00 80"));
  ASSERT_TRUE(labelled.has_value());
  EXPECT_EQ(to_hex(*labelled), to_hex(wire(R"(f4 04 "prod" 00 80)")));
  auto split = split_label(*labelled);
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->label, "prod");
  EXPECT_EQ(Bytes(split->payload.begin(), split->payload.end()), wire("00 80"));
}

TEST(Label, EmptyLabelAddsNothingAndBadHeadersAreRejected) {
  EXPECT_EQ(*add_label("", wire("00")), wire("00"));
  EXPECT_EQ(add_label(std::string(256, 'x'), wire("00")).error().reason, DropReason::oversized);
  EXPECT_EQ(split_label(wire("f4 00 00")).error().reason, DropReason::malformed);
  EXPECT_EQ(split_label(wire(R"(f4 05 "abc")")).error().reason, DropReason::truncated);
}

}  // namespace
}  // namespace constellation::gossip
