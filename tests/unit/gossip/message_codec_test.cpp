// Single commands: byte-exact against serf captures (memberlist-wire.md §4), round trips of
// every message type, and go-msgpack's conventions (raw strings, nil vs empty, key order).
#include <gtest/gtest.h>

#include "agent/gossip/message_codec.hpp"
#include "tests/unit/gossip/go_vectors.hpp"
#include "tests/unit/gossip/wire_bytes.hpp"

namespace constellation::gossip {
namespace {

using testing::to_hex;
using testing::wire;

const Bytes kLoopback{127, 0, 0, 1};

// Captured from serf: node a pings node c.
const char* const kPingCapture =
    R"(00 85 a4"Node" a1"c" a5"SeqNo" 68 aa"SourceAddr" a4 7f000001
       aa"SourceNode" a1"a" aa"SourcePort" cd 1f0a)";
// Captured from serf: c acks b with an empty (non-nil) payload. 18 bytes.
const char* const kAckCapture = R"(02 82 a5"SeqNo" 68 a7"Payload" a0)";
// Captured from serf (inside a hasCrc wrapper): alive for c with nil meta.
const char* const kAliveCapture =
    R"(04 86 a4"Addr" a4 7f000001 ab"Incarnation" 01 a4"Meta" c0
       a4"Node" a1"c" a4"Port" cd 1f0e a3"Vsn" a6 010502020505)";

template <typename T>
T decode_as(const Bytes& command) {
  auto decoded = decode_message(command);
  EXPECT_TRUE(decoded.has_value()) << (decoded ? "" : decoded.error().detail);
  if (!decoded || !std::holds_alternative<T>(*decoded)) {
    ADD_FAILURE() << "wrong message type";
    return T{};
  }
  return std::get<T>(*decoded);
}

TEST(MessageCodec, DecodesSerfPingCapture) {
  const Ping ping = decode_as<Ping>(wire(kPingCapture));
  EXPECT_EQ(ping.seq_no, 0x68u);
  EXPECT_EQ(ping.node, "c");
  EXPECT_EQ(ping.source_addr, kLoopback);
  EXPECT_EQ(ping.source_port, 0x1f0a);
  EXPECT_EQ(ping.source_node, "a");
}

TEST(MessageCodec, EncodesPingToSerfBytes) {
  const Ping ping{.seq_no = 0x68,
                  .node = "c",
                  .source_addr = kLoopback,
                  .source_port = 0x1f0a,
                  .source_node = "a"};
  EXPECT_EQ(to_hex(encode(ping)), to_hex(wire(kPingCapture)));
}

TEST(MessageCodec, DecodesCapturedAckWithEmptyPayloadInAnyKeyOrder) {
  // This ack came from the contract's probe (node c), which wrote SeqNo before Payload.
  const Bytes capture = wire(kAckCapture);
  ASSERT_EQ(capture.size(), 18u);
  const AckResp ack = decode_as<AckResp>(capture);
  EXPECT_EQ(ack.seq_no, 0x68u);
  ASSERT_TRUE(ack.payload.has_value());
  EXPECT_TRUE(ack.payload->empty());
  // Go sorts the keys bytewise, so we write Payload first (see the Go compound vector).
  EXPECT_EQ(to_hex(encode(ack)), to_hex(wire(R"(02 82 a7"Payload" a0 a5"SeqNo" 68)")));
}

TEST(MessageCodec, AliveCaptureRoundTripsByteExactWithNilMeta) {
  const Bytes capture = wire(kAliveCapture);
  const Alive alive = decode_as<Alive>(capture);
  EXPECT_EQ(alive.incarnation, 1u);
  EXPECT_EQ(alive.node, "c");
  EXPECT_EQ(alive.addr, kLoopback);
  EXPECT_EQ(alive.port, 0x1f0e);
  EXPECT_FALSE(alive.meta.has_value());
  EXPECT_EQ(alive.vsn, kSerfVersions);
  auto encoded = encode(alive);
  ASSERT_TRUE(encoded.has_value());
  EXPECT_EQ(to_hex(*encoded), to_hex(capture));
}

TEST(MessageCodec, NilAckPayloadEncodesAsMsgpackNil) {
  EXPECT_EQ(to_hex(encode(AckResp{.seq_no = 1, .payload = std::nullopt})),
            to_hex(wire(R"(02 82 a7"Payload" c0 a5"SeqNo" 01)")));
}

TEST(MessageCodec, PingWithoutSourceLeavesOmitemptyFieldsOut) {
  EXPECT_EQ(to_hex(encode(Ping{.seq_no = 7, .node = ""})),
            to_hex(wire(R"(00 82 a4"Node" a0 a5"SeqNo" 07)")));
}

TEST(MessageCodec, StringsOf32BytesOrMoreUseRaw16NotStr8) {
  const std::string name(40, 'n');
  const Bytes encoded = encode(Suspect{.incarnation = 3, .node = name, .from = "x"});
  // Keys sorted: From, Incarnation, Node.
  const Bytes expected = wire(R"(03 83 a4"From" a1"x" ab"Incarnation" 03 a4"Node" da 0028)" +
                              std::string(" \"") + name + "\"");
  EXPECT_EQ(to_hex(encoded), to_hex(expected));
}

TEST(MessageCodec, IntegersUseTheSmallestEncoding) {
  EXPECT_EQ(to_hex(encode(NackResp{.seq_no = 0x7f})), to_hex(wire(R"(0b 81 a5"SeqNo" 7f)")));
  EXPECT_EQ(to_hex(encode(NackResp{.seq_no = 0x80})), to_hex(wire(R"(0b 81 a5"SeqNo" cc 80)")));
  EXPECT_EQ(to_hex(encode(NackResp{.seq_no = 0x10000})),
            to_hex(wire(R"(0b 81 a5"SeqNo" ce 00010000)")));
}

TEST(MessageCodec, RoundTripsEveryMessageType) {
  const std::vector<Message> messages = {
      Ping{.seq_no = 1,
           .node = "n1",
           .source_addr = kLoopback,
           .source_port = 7946,
           .source_node = "me"},
      Ping{.seq_no = 0xffffffff, .node = ""},
      IndirectPing{.seq_no = 2,
                   .target = Bytes(16, 0xfe),
                   .port = 7947,
                   .node = "t",
                   .nack = true,
                   .source_addr = kLoopback,
                   .source_port = 1,
                   .source_node = "s"},
      IndirectPing{.seq_no = 3, .target = kLoopback, .port = 2, .node = "t", .nack = false},
      AckResp{.seq_no = 4, .payload = Bytes{1, 2, 3}},
      AckResp{.seq_no = 5, .payload = std::nullopt},
      NackResp{.seq_no = 6},
      Suspect{.incarnation = 7, .node = "a", .from = "b"},
      Alive{.incarnation = 8,
            .node = "a",
            .addr = kLoopback,
            .port = 7946,
            .meta = Bytes(512, 0xab),
            .vsn = kSerfVersions},
      Alive{.incarnation = 9,
            .node = "b",
            .addr = kLoopback,
            .port = 1,
            .meta = Bytes{},
            .vsn = {1, 5, 2, 0, 0, 0}},
      Dead{.incarnation = 10, .node = "a", .from = "a"},
      UserMsg{.payload = Bytes{0xff, 0x00, 0x10}},
      UserMsg{},
      ErrResp{.error = "remote error"},
  };
  for (const Message& message : messages) {
    auto encoded = encode(message);
    ASSERT_TRUE(encoded.has_value());
    auto decoded = decode_message(*encoded);
    ASSERT_TRUE(decoded.has_value()) << to_hex(*encoded) << ": " << decoded.error().detail;
    EXPECT_EQ(*decoded, message) << to_hex(*encoded);
  }
}

TEST(MessageCodec, RefusesToEncodeMetaOver512Bytes) {
  auto encoded = encode(Alive{.node = "a", .meta = Bytes(513, 1), .vsn = kSerfVersions});
  ASSERT_FALSE(encoded.has_value());
  EXPECT_EQ(encoded.error().reason, DropReason::oversized);
}

TEST(MessageCodec, DropsIncomingMetaOver512BytesAsOversized) {
  Bytes command = wire(R"(04 81 a4"Meta" da 0201)");
  command.insert(command.end(), 513, 'm');
  auto decoded = decode_message(command);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().reason, DropReason::oversized);
}

TEST(MessageCodec, AcceptsStr8AndBinForByteFields) {
  const Ping ping = decode_as<Ping>(wire(R"(00 82 a5"SeqNo" 01 aa"SourceAddr" c4 04 7f000001)"));
  EXPECT_EQ(ping.source_addr, kLoopback);
  const Ping str8 = decode_as<Ping>(wire(R"(00 82 a5"SeqNo" 01 a4"Node" d9 02 "ab")"));
  EXPECT_EQ(str8.node, "ab");
}

TEST(MessageCodec, RejectsBinForStringFields) {
  auto decoded = decode_message(wire(R"(00 82 a5"SeqNo" 01 a4"Node" c4 01 "x")"));
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().reason, DropReason::malformed);
}

TEST(MessageCodec, SkipsUnknownKeysAndLeavesMissingFieldsZero) {
  const Alive alive =
      decode_as<Alive>(wire(R"(04 83 a5"Extra" 92 01 81 a1"k" c3 a4"Node" a1"z" a3"Foo" c0)"));
  EXPECT_EQ(alive.node, "z");
  EXPECT_EQ(alive.incarnation, 0u);
  EXPECT_EQ(alive.vsn, VersionVector{});
}

TEST(MessageCodec, DecodesStructSentAsPositionalArray) {
  const Suspect suspect = decode_as<Suspect>(wire(R"(03 93 05 a1"n" a1"f")"));
  EXPECT_EQ(suspect, (Suspect{.incarnation = 5, .node = "n", .from = "f"}));
}

TEST(MessageCodec, RejectsVersionVectorThatIsNotSixBytes) {
  auto decoded = decode_message(wire(R"(04 81 a3"Vsn" a3 010502)"));
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().reason, DropReason::malformed);
}

TEST(MessageCodec, RejectsIntegersThatOverflowTheGoField) {
  auto decoded = decode_message(wire(R"(00 81 a5"SeqNo" cf 0000000100000000)"));
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().reason, DropReason::malformed);
  auto port = decode_message(wire(R"(00 81 aa"SourcePort" ce 00010000)"));
  ASSERT_FALSE(port.has_value());
}

TEST(MessageCodec, ReportsUnknownTypeForFramingAndUnassignedBytes) {
  for (std::uint8_t type : {6, 7, 9, 10, 12, 14, 200, 244}) {
    auto decoded = decode_message(Bytes{type, 0x80});
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().reason, DropReason::unknown_type) << int(type);
  }
}

TEST(MessageCodec, ReportsTruncatedBodies) {
  const Bytes capture = wire(kAliveCapture);
  for (std::size_t n = 0; n < capture.size(); ++n) {
    auto decoded = decode_message(std::span(capture).first(n));
    ASSERT_FALSE(decoded.has_value()) << n;
    EXPECT_EQ(decoded.error().reason, DropReason::truncated) << n;
  }
}

TEST(MessageCodec, DropReasonsHaveStableNames) {
  EXPECT_EQ(drop_reason_name(DropReason::bad_crc), "bad_crc");
  EXPECT_EQ(drop_reason_name(DropReason::decrypt_failed), "decrypt_failed");
  EXPECT_EQ(to_error(WireError{DropReason::oversized, "x"}).code, ErrorCode::too_large);
}

}  // namespace
}  // namespace constellation::gossip

// Vectors encoded by memberlist 0.2.2 itself (go_vectors.hpp): our encoder must produce the
// same bytes and our decoder must read them back to the same values.
namespace constellation::gossip {
namespace {

void expect_go_bytes(const Message& message, const char* go_hex) {
  auto encoded = encode(message);
  ASSERT_TRUE(encoded.has_value());
  EXPECT_EQ(testing::to_hex(*encoded), go_hex);
  auto decoded = decode_message(testing::wire(go_hex));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
  EXPECT_EQ(*decoded, message);
}

TEST(MessageCodecGoVectors, PingMatchesMemberlist) {
  expect_go_bytes(Ping{.seq_no = 42,
                       .node = "node-b",
                       .source_addr = {127, 0, 0, 1},
                       .source_port = 7946,
                       .source_node = "node-a"},
                  go_vectors::kPing);
}

TEST(MessageCodecGoVectors, IndirectPingMatchesMemberlist) {
  expect_go_bytes(
      IndirectPing{.seq_no = 9, .target = {127, 0, 0, 2}, .port = 7947, .node = "t", .nack = true},
      go_vectors::kIndirect);
}

TEST(MessageCodecGoVectors, SuspectDeadNackAndErrMatchMemberlist) {
  expect_go_bytes(Suspect{.incarnation = 2, .node = "node-c", .from = "node-a"},
                  go_vectors::kSuspect);
  expect_go_bytes(Dead{.incarnation = 2, .node = "node-c", .from = "node-c"}, go_vectors::kDead);
  expect_go_bytes(NackResp{.seq_no = 300}, go_vectors::kNack);
  expect_go_bytes(ErrResp{.error = "boom"}, go_vectors::kErr);
}

}  // namespace
}  // namespace constellation::gossip
