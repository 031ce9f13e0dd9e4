// UDP packets end to end: every framing combination round trips, outer-layer failures are
// typed, and build_packet honours the payload limit while piggybacking what fits.
#include <gtest/gtest.h>

#include "agent/gossip/framing.hpp"
#include "agent/gossip/message_codec.hpp"
#include "agent/gossip/packet.hpp"
#include "tests/unit/gossip/go_vectors.hpp"
#include "tests/unit/gossip/wire_bytes.hpp"

namespace constellation::gossip {
namespace {

using testing::bytes_of;
using testing::wire;

const Nonce kNonce{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};

Keyring test_keyring() {
  return *Keyring::create({Bytes(32, 0x5a)});
}

Bytes broadcast(std::size_t payload_size, std::uint8_t fill) {
  return encode(UserMsg{.payload = Bytes(payload_size, fill)});
}

TEST(Packet, DecodesSerfEncryptedCompressedCompoundShape) {
  // Go's compound, sealed by memberlist with this key, is what serf sends when encrypted.
  const Keyring keyring = *Keyring::create({bytes_of("0123456789abcdef0123456789abcdef")});
  PacketOptions options{.keyring = &keyring};
  auto packet = decode_packet(wire(go_vectors::kEncryptedV1Key32), options);
  ASSERT_TRUE(packet.has_value()) << packet.error().detail;
  EXPECT_TRUE(packet->encrypted);
  ASSERT_EQ(packet->messages.size(), 3u);
  EXPECT_EQ(std::get<AckResp>(packet->messages[0]).seq_no, 42u);
  EXPECT_EQ(std::get<Alive>(packet->messages[1]).node, "node-a");
  EXPECT_EQ(std::get<UserMsg>(packet->messages[2]).payload, bytes_of("hello"));
}

TEST(Packet, RoundTripsThroughEveryFramingCombination) {
  const Keyring keyring = test_keyring();
  const std::vector<Bytes> messages = {encode(Ping{.seq_no = 5,
                                                   .node = "b",
                                                   .source_addr = {127, 0, 0, 1},
                                                   .source_port = 7946,
                                                   .source_node = "a"}),
                                       encode(Suspect{.incarnation = 1, .node = "c", .from = "a"}),
                                       broadcast(300, 'x')};
  for (int mask = 0; mask < 16; ++mask) {
    PacketOptions options;
    options.compress = mask & 1;
    options.crc = mask & 2;
    options.keyring = (mask & 4) ? &keyring : nullptr;
    options.label = (mask & 8) ? "cluster-1" : "";
    auto built = build_packet(messages, options, kNonce);
    ASSERT_TRUE(built.has_value()) << mask;
    EXPECT_EQ(built->included, (std::vector<std::size_t>{0, 1, 2}));
    auto decoded = decode_packet(built->datagram, options);
    ASSERT_TRUE(decoded.has_value()) << mask << ": " << decoded.error().detail;
    ASSERT_EQ(decoded->messages.size(), 3u) << mask;
    EXPECT_EQ(std::get<Ping>(decoded->messages[0]).seq_no, 5u);
    EXPECT_EQ(std::get<Suspect>(decoded->messages[1]).node, "c");
    EXPECT_EQ(std::get<UserMsg>(decoded->messages[2]).payload, Bytes(300, 'x'));
    EXPECT_EQ(decoded->encrypted, options.keyring != nullptr);
    EXPECT_EQ(decoded->had_crc, options.crc);
  }
}

TEST(Packet, CompressesOnlyWhenItSavesBytes) {
  PacketOptions options;
  const Bytes small = encode(NackResp{.seq_no = 1});
  EXPECT_EQ(*seal_packet(small, options, kNonce), small);
  const Bytes repetitive = broadcast(1000, 'r');
  auto sealed = seal_packet(repetitive, options, kNonce);
  ASSERT_TRUE(sealed.has_value());
  EXPECT_LT(sealed->size(), repetitive.size());
  EXPECT_EQ((*sealed)[0], static_cast<std::uint8_t>(MessageType::compress));
}

TEST(Packet, CorruptedCrcDropsThePacket) {
  PacketOptions options{.compress = false, .crc = true};
  auto sealed = seal_packet(encode(NackResp{.seq_no = 1}), options, kNonce);
  ASSERT_TRUE(sealed.has_value());
  (*sealed)[sealed->size() - 1] ^= 1;
  EXPECT_EQ(decode_packet(*sealed, options).error().reason, DropReason::bad_crc);
}

TEST(Packet, PlaintextIsRefusedWhenVerifyingIncomingButAcceptedWithoutIt) {
  const Keyring keyring = test_keyring();
  const Bytes plain = encode(NackResp{.seq_no = 3});
  PacketOptions strict{.keyring = &keyring};
  EXPECT_EQ(decode_packet(plain, strict).error().reason, DropReason::decrypt_failed);
  PacketOptions lenient{.keyring = &keyring, .verify_incoming = false};
  auto decoded = decode_packet(plain, lenient);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_FALSE(decoded->encrypted);
}

TEST(Packet, WrongKeyDropsAsDecryptFailed) {
  const Keyring ours = test_keyring();
  const Keyring theirs = *Keyring::create({Bytes(16, 1)});
  auto sealed =
      seal_packet(encode(NackResp{.seq_no = 3}), PacketOptions{.keyring = &theirs}, kNonce);
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(decode_packet(*sealed, PacketOptions{.keyring = &ours}).error().reason,
            DropReason::decrypt_failed);
}

TEST(Packet, MismatchedLabelIsDroppedUnlessTheCheckIsSkipped) {
  auto sealed = seal_packet(encode(NackResp{.seq_no = 3}), PacketOptions{.label = "a"}, kNonce);
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(decode_packet(*sealed, PacketOptions{.label = "b"}).error().reason,
            DropReason::bad_label);
  EXPECT_EQ(decode_packet(*sealed, PacketOptions{}).error().reason, DropReason::bad_label);
  EXPECT_TRUE(decode_packet(*sealed, PacketOptions{.skip_inbound_label_check = true}));
}

TEST(Packet, UnknownTypeDropsALoneCommand) {
  EXPECT_EQ(decode_packet(wire("63 80"), {}).error().reason, DropReason::unknown_type);
}

TEST(Packet, BadCompoundPartIsReportedWhileTheOthersAreDelivered) {
  auto compound = make_compound(
      std::vector<Bytes>{encode(NackResp{.seq_no = 1}), wire("63"), encode(NackResp{.seq_no = 2})});
  ASSERT_TRUE(compound.has_value());
  auto decoded = decode_packet(*compound, {});
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->messages.size(), 2u);
  ASSERT_EQ(decoded->dropped_parts.size(), 1u);
  EXPECT_EQ(decoded->dropped_parts[0].reason, DropReason::unknown_type);
}

TEST(Packet, DecodesCompressedPartsInsideACompound) {
  auto compound = make_compound(std::vector<Bytes>{compress_command(encode(NackResp{.seq_no = 1})),
                                                   encode(NackResp{.seq_no = 2})});
  auto decoded = decode_packet(*compound, {});
  ASSERT_TRUE(decoded.has_value());
  ASSERT_EQ(decoded->messages.size(), 2u);
  EXPECT_EQ(std::get<NackResp>(decoded->messages[0]).seq_no, 1u);
}

TEST(Packet, RefusesNestingDeeperThanFourLevels) {
  Bytes command = encode(NackResp{.seq_no = 1});
  for (int i = 0; i < 4; ++i) command = *make_compound(std::vector<Bytes>{command});
  auto four = decode_packet(command, {});
  ASSERT_TRUE(four.has_value());
  EXPECT_EQ(four->messages.size(), 1u);
  for (int i = 0; i < 2; ++i) command = *make_compound(std::vector<Bytes>{command});
  auto six = decode_packet(command, {});
  ASSERT_TRUE(six.has_value());
  EXPECT_TRUE(six->messages.empty());
  ASSERT_EQ(six->dropped_parts.size(), 1u);
  EXPECT_EQ(six->dropped_parts[0].reason, DropReason::malformed);
  Bytes compressed = encode(NackResp{.seq_no = 1});
  for (int i = 0; i < 6; ++i) compressed = compress_command(compressed);
  EXPECT_EQ(decode_packet(compressed, {}).error().reason, DropReason::malformed);
}

TEST(PacketSizeGuard, EveryBuiltPacketFitsTheDefault1232Bytes) {
  const Keyring keyring = test_keyring();
  std::vector<Bytes> messages{encode(AckResp{.seq_no = 1, .payload = Bytes(130, 1)})};
  for (int i = 0; i < 40; ++i)
    messages.push_back(broadcast(50 + 13 * i, static_cast<std::uint8_t>(i)));
  for (const Keyring* ring : {static_cast<const Keyring*>(nullptr), &keyring}) {
    PacketOptions options{.keyring = ring, .compress = false, .crc = true};
    auto built = build_packet(messages, options, kNonce);
    ASSERT_TRUE(built.has_value());
    EXPECT_LE(built->datagram.size(), kDefaultMaxPayload);
    EXPECT_EQ(built->included.front(), 0u);
    EXPECT_GT(built->included.size(), 3u);
    EXPECT_LT(built->included.size(), messages.size());
    // What was left out really would not have fitted.
    std::size_t used = framing_overhead(options) + kCompoundHeaderOverhead;
    for (std::size_t i : built->included) used += kCompoundPartOverhead + messages[i].size();
    EXPECT_EQ(used, built->datagram.size());
    for (std::size_t i = 0; i < messages.size(); ++i) {
      if (std::find(built->included.begin(), built->included.end(), i) != built->included.end()) {
        continue;
      }
      EXPECT_GT(used + kCompoundPartOverhead + messages[i].size(), kDefaultMaxPayload) << i;
    }
  }
}

TEST(PacketSizeGuard, SkipsABroadcastThatDoesNotFitAndTakesSmallerOnes) {
  PacketOptions options{.compress = false, .max_payload = 200};
  const std::vector<Bytes> messages{encode(NackResp{.seq_no = 1}), broadcast(500, 1),
                                    broadcast(20, 2)};
  auto built = build_packet(messages, options, kNonce);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->included, (std::vector<std::size_t>{0, 2}));
}

TEST(PacketSizeGuard, SendsTheFirstMessageBareWhenOnlyItFits) {
  PacketOptions options{.compress = false, .max_payload = 100};
  const Bytes ack = encode(AckResp{.seq_no = 1, .payload = Bytes(80, 1)});
  auto built = build_packet(std::vector<Bytes>{ack, broadcast(5, 1)}, options, kNonce);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->datagram, ack);
  EXPECT_EQ(built->included, (std::vector<std::size_t>{0}));
}

TEST(PacketSizeGuard, FirstMessageTooLargeIsOversized) {
  PacketOptions options{.compress = false, .max_payload = 50};
  auto built = build_packet(std::vector<Bytes>{broadcast(60, 1)}, options, kNonce);
  ASSERT_FALSE(built.has_value());
  EXPECT_EQ(built.error().reason, DropReason::oversized);
  EXPECT_FALSE(build_packet({}, options, kNonce).has_value());
}

TEST(PacketSizeGuard, PackCompoundStopsAt255Parts) {
  const std::vector<Bytes> tiny(300, encode(NackResp{.seq_no = 1}));
  const CompoundPlan plan = pack_compound(tiny, 65536);
  EXPECT_EQ(plan.included.size(), 255u);
}

}  // namespace
}  // namespace constellation::gossip

namespace constellation::gossip {
namespace {

TEST(Packet, DecompressionBombIsOversized) {
  // 1 MiB of one byte compresses to a few KiB; one datagram may not inflate that far.
  const Bytes bomb = compress_command(encode(UserMsg{.payload = Bytes(1 << 20, 'b')}));
  ASSERT_LT(bomb.size(), kMaxDatagram);
  auto decoded = decode_packet(bomb, {});
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().reason, DropReason::oversized);
}

TEST(Packet, InflationBudgetIsSharedByAllPartsOfACompound) {
  const Bytes part = compress_command(encode(UserMsg{.payload = Bytes(60000, 'p')}));
  auto compound = make_compound(std::vector<Bytes>(6, part));
  ASSERT_TRUE(compound.has_value());
  auto decoded = decode_packet(*compound, {});
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->messages.size(), 4u);  // 4 x 60 KB fit the 256 KiB budget, 2 do not
  ASSERT_EQ(decoded->dropped_parts.size(), 2u);
  EXPECT_EQ(decoded->dropped_parts[0].reason, DropReason::oversized);
}

}  // namespace
}  // namespace constellation::gossip
