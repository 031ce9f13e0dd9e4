// Bad input never crashes the codec: every prefix of real packets, bit flips and seeded
// random bytes go through every decoder. Whatever decodes must re-encode to an equal value,
// and inputs that cannot be valid must be rejected with a reason.
#include <random>

#include <gtest/gtest.h>

#include "agent/gossip/framing.hpp"
#include "agent/gossip/lzw.hpp"
#include "agent/gossip/message_codec.hpp"
#include "agent/gossip/packet.hpp"
#include "agent/gossip/stream.hpp"
#include "tests/unit/gossip/go_vectors.hpp"
#include "tests/unit/gossip/wire_bytes.hpp"

namespace constellation::gossip {
namespace {

using testing::wire;

const Keyring& go_keyring() {
  static const Keyring keyring =
      *Keyring::create({testing::bytes_of("0123456789abcdef0123456789abcdef")});
  return keyring;
}

std::vector<Bytes> valid_packets() {
  return {wire(go_vectors::kPing),
          wire(go_vectors::kPingCompressed),
          wire(go_vectors::kCompound),
          wire(go_vectors::kIndirect),
          wire(go_vectors::kPushpull),
          add_crc(wire(go_vectors::kCompound)),
          compress_command(wire(go_vectors::kCompound))};
}

/// Runs every decoder; checks that anything accepted survives a re-encode round trip.
void feed_everything(std::span<const std::uint8_t> input) {
  for (const Keyring* keyring : {static_cast<const Keyring*>(nullptr), &go_keyring()}) {
    PacketOptions options{.keyring = keyring, .verify_incoming = keyring != nullptr};
    auto packet = decode_packet(input, options);
    if (!packet) continue;
    for (const Message& message : packet->messages) {
      auto encoded = encode(message);
      if (!encoded) {
        ADD_FAILURE() << "accepted a message that cannot be re-encoded";
        continue;
      }
      auto again = decode_message(*encoded);
      ASSERT_TRUE(again.has_value());
      EXPECT_EQ(*again, message);
    }
  }
  (void)decode_stream(input);
  (void)decode_message(input);
  (void)lzw_decompress(input, 1 << 20);
  (void)split_label(input);
  (void)open_stream(go_keyring(), input, "");
}

TEST(HostileInput, EveryPrefixOfValidPacketsIsHandled) {
  for (const Bytes& packet : valid_packets()) {
    for (std::size_t n = 0; n <= packet.size(); ++n) feed_everything(std::span(packet).first(n));
  }
}

TEST(HostileInput, EveryProperPrefixOfAnEncryptedPacketIsRejected) {
  const Bytes sealed = wire(go_vectors::kEncryptedV1Key32);
  PacketOptions options{.keyring = &go_keyring()};
  ASSERT_TRUE(decode_packet(sealed, options).has_value());
  for (std::size_t n = 0; n < sealed.size(); ++n) {
    auto decoded = decode_packet(std::span(sealed).first(n), options);
    ASSERT_FALSE(decoded.has_value()) << n;
    EXPECT_TRUE(decoded.error().reason == DropReason::truncated ||
                decoded.error().reason == DropReason::decrypt_failed)
        << n;
  }
}

TEST(HostileInput, EveryProperPrefixOfACompressedPingIsRejected) {
  const Bytes compressed = wire(go_vectors::kPingCompressed);
  for (std::size_t n = 0; n < compressed.size(); ++n) {
    EXPECT_FALSE(decode_packet(std::span(compressed).first(n), {}).has_value()) << n;
  }
}

TEST(HostileInput, SingleBitFlipsAreHandled) {
  for (const Bytes& packet : valid_packets()) {
    for (std::size_t i = 0; i < packet.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        Bytes flipped = packet;
        flipped[i] ^= static_cast<std::uint8_t>(1 << bit);
        feed_everything(flipped);
      }
    }
  }
}

TEST(HostileInput, SeededRandomBytesAreHandled) {
  std::mt19937 rng(20261124);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(0, 300);
  for (int round = 0; round < 3000; ++round) {
    Bytes input(length(rng));
    for (auto& b : input) b = static_cast<std::uint8_t>(byte(rng));
    if (!input.empty()) input[0] = static_cast<std::uint8_t>(round % 16);  // reach every type
    feed_everything(input);
  }
}

TEST(HostileInput, RandomSplicesOfValidPacketsAreHandled) {
  std::mt19937 rng(7);
  const auto packets = valid_packets();
  for (int round = 0; round < 2000; ++round) {
    Bytes input = packets[rng() % packets.size()];
    const std::size_t edits = 1 + rng() % 4;
    for (std::size_t e = 0; e < edits && !input.empty(); ++e) {
      input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
    }
    feed_everything(input);
  }
}

TEST(HostileInput, ContainerHeadersClaimingBillionsOfElementsAreCheap) {
  // map32/array32/str32 headers with 0xffffffff entries must not allocate for them.
  for (const char* hex :
       {"00 df ffffffff", "00 dd ffffffff", "00 dbffffffff", "04 81 a4\"Meta\" c6 ffffffff"}) {
    auto decoded = decode_message(wire(hex));
    ASSERT_FALSE(decoded.has_value()) << hex;
    EXPECT_EQ(decoded.error().reason, DropReason::truncated) << hex;
  }
  auto stream = decode_stream(wire("06 dfffffffff"));
  ASSERT_FALSE(stream.has_value());
  EXPECT_EQ(stream.error().reason, DropReason::truncated);
}

}  // namespace
}  // namespace constellation::gossip
