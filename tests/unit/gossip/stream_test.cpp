// TCP stream messages: memberlist's push/pull bytes, the captured join request, "read more"
// on partial input, compressed replies, and the encrypted frame.
#include <gtest/gtest.h>

#include "agent/gossip/framing.hpp"
#include "agent/gossip/message_codec.hpp"
#include "agent/gossip/stream.hpp"
#include "tests/unit/gossip/go_vectors.hpp"
#include "tests/unit/gossip/wire_bytes.hpp"

namespace constellation::gossip {
namespace {

using testing::bytes_of;
using testing::to_hex;
using testing::wire;

// The join request the Python probe sent to serf (keys in declaration order, not sorted).
const char* const kJoinCapture =
    R"(06 83 a5"Nodes" 01 ac"UserStateLen" 00 a4"Join" c3
          87 a4"Name" a1"c" a4"Addr" a4 7f000001 a4"Port" cd 1f0e a4"Meta" a0
             ab"Incarnation" 01 a5"State" 00 a3"Vsn" a6 010502020505)";

const Nonce kNonce{};

PushPull go_push_pull() {
  return PushPull{.join = true,
                  .nodes = {PushNodeState{.name = "node-a",
                                          .addr = {127, 0, 0, 1},
                                          .port = 7946,
                                          .meta = Bytes{},
                                          .incarnation = 1,
                                          .state = NodeState::suspect,
                                          .vsn = kSerfVersions}},
                  .user_state = bytes_of("xyz")};
}

TEST(Stream, PushPullMatchesMemberlistBytes) {
  auto encoded = encode_push_pull(go_push_pull());
  ASSERT_TRUE(encoded.has_value());
  EXPECT_EQ(to_hex(*encoded), go_vectors::kPushpull);
  auto decoded = decode_stream(wire(go_vectors::kPushpull));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
  EXPECT_EQ(std::get<PushPull>(decoded->message), go_push_pull());
  EXPECT_EQ(decoded->consumed, encoded->size());
}

TEST(Stream, DecodesTheCapturedJoinRequest) {
  const Bytes join = wire(kJoinCapture);
  ASSERT_EQ(join.size(), 92u);
  auto decoded = decode_stream(join);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
  const auto& pp = std::get<PushPull>(decoded->message);
  EXPECT_TRUE(pp.join);
  ASSERT_EQ(pp.nodes.size(), 1u);
  EXPECT_EQ(pp.nodes[0].name, "c");
  EXPECT_EQ(pp.nodes[0].port, 0x1f0e);
  EXPECT_EQ(pp.nodes[0].state, NodeState::alive);
  EXPECT_EQ(pp.nodes[0].vsn, kSerfVersions);
  EXPECT_TRUE(pp.user_state.empty());
}

TEST(Stream, EveryProperPrefixAsksForMoreBytes) {
  const Bytes full = *encode_push_pull(go_push_pull());
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto decoded = decode_stream(std::span(full).first(n));
    ASSERT_FALSE(decoded.has_value()) << n;
    EXPECT_EQ(decoded.error().reason, DropReason::truncated) << n;
  }
}

TEST(Stream, ReliableUserMessageRoundTrips) {
  auto encoded = encode_stream_user(bytes_of("state delta"));
  ASSERT_TRUE(encoded.has_value());
  EXPECT_EQ(to_hex(*encoded), to_hex(wire(R"(08 81 aa"UserMsgLen" 0b "state delta")")));
  auto decoded = decode_stream(*encoded);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(std::get<UserMsg>(decoded->message).payload, bytes_of("state delta"));
}

TEST(Stream, DecodesCompressedAckAsSerfRepliesOnTcp) {
  const Bytes ack = encode(AckResp{.seq_no = 77, .payload = std::nullopt});
  const Bytes reply = compress_command(ack);
  auto decoded = decode_stream(reply);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(std::get<AckResp>(decoded->message).seq_no, 77u);
  EXPECT_EQ(decoded->consumed, reply.size());
}

TEST(Stream, RejectsLyingOrHostileHeaders) {
  EXPECT_EQ(decode_stream(wire(R"(06 81 a5"Nodes" ff)")).error().reason, DropReason::malformed);
  EXPECT_EQ(decode_stream(wire(R"(06 81 a5"Nodes" ce 00200000)")).error().reason,
            DropReason::oversized);
  EXPECT_EQ(decode_stream(wire(R"(06 81 ac"UserStateLen" ce 02000000)")).error().reason,
            DropReason::oversized);
  EXPECT_EQ(decode_stream(wire(R"(08 81 aa"UserMsgLen" d0 80)")).error().reason,
            DropReason::malformed);
  EXPECT_EQ(decode_stream(wire("04 80")).error().reason, DropReason::unknown_type);
}

TEST(Stream, EncryptedFrameRoundTripsAndBindsItsHeader) {
  const Keyring keyring = *Keyring::create({Bytes(32, 3)});
  const Bytes plain = *encode_push_pull(go_push_pull());
  const Bytes frame = seal_stream(keyring, EncryptionVersion::v1, plain, "", kNonce);
  EXPECT_EQ(frame[0], static_cast<std::uint8_t>(MessageType::encrypt));
  EXPECT_EQ(frame.size(), 5 + plain.size() + 29);
  auto size = stream_frame_size(std::span(frame).first(5));
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->value(), frame.size());
  EXPECT_FALSE(stream_frame_size(std::span(frame).first(4))->has_value());
  auto opened = open_stream(keyring, frame, "");
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, plain);
  EXPECT_EQ(open_stream(keyring, std::span(frame).first(frame.size() - 1), "").error().reason,
            DropReason::truncated);
  EXPECT_EQ(open_stream(keyring, frame, "other-label").error().reason, DropReason::decrypt_failed);
}

TEST(Stream, EncryptedFrameV0IsPadded) {
  const Keyring keyring = *Keyring::create({Bytes(16, 3)});
  const Bytes plain(20, 1);
  const Bytes frame = seal_stream(keyring, EncryptionVersion::v0_padded, plain, "", kNonce);
  EXPECT_EQ(frame.size(), 5 + 1 + 12 + 32 + 16);
  auto opened = open_stream(keyring, frame, "");
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, plain);
}

TEST(Stream, FrameSizeRejectsPlaintextAndHugeFrames) {
  EXPECT_EQ(stream_frame_size(wire("06 80")).error().reason, DropReason::malformed);
  EXPECT_EQ(stream_frame_size(wire("0a 7fffffff")).error().reason, DropReason::oversized);
}

}  // namespace
}  // namespace constellation::gossip
