// AES-GCM keyring: payloads sealed by memberlist itself open here, every key size round trips,
// the wrong key fails as decrypt_failed, and an extra key supports rotation.
#include <gtest/gtest.h>

#include "agent/gossip/keyring.hpp"
#include "tests/unit/gossip/go_vectors.hpp"
#include "tests/unit/gossip/wire_bytes.hpp"

namespace constellation::gossip {
namespace {

using testing::bytes_of;
using testing::wire;

const Nonce kNonce{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

Keyring ring(std::vector<Bytes> keys) {
  auto keyring = Keyring::create(std::move(keys));
  EXPECT_TRUE(keyring.has_value());
  return *keyring;
}

const Bytes kGoKey = bytes_of("0123456789abcdef0123456789abcdef");

TEST(Keyring, OpensMemberlistV1PayloadWithAes256) {
  auto plain = decrypt(ring({kGoKey}), wire(go_vectors::kEncryptedV1Key32), {});
  ASSERT_TRUE(plain.has_value()) << plain.error().detail;
  EXPECT_EQ(*plain, wire(go_vectors::kCompound));
}

TEST(Keyring, OpensMemberlistV0PaddedPayloadWithAes128) {
  const Bytes key16(kGoKey.begin(), kGoKey.begin() + 16);
  auto plain = decrypt(ring({key16}), wire(go_vectors::kEncryptedV0Key16), {});
  ASSERT_TRUE(plain.has_value()) << plain.error().detail;
  EXPECT_EQ(*plain, wire(go_vectors::kPing));
}

TEST(Keyring, RoundTripsWithEveryKeySizeAndVersion) {
  const Bytes message = bytes_of("a gossip packet of some length, not a multiple of 16");
  for (std::size_t size : {16u, 24u, 32u}) {
    const Keyring keyring = ring({Bytes(size, 0x42)});
    for (auto version : {EncryptionVersion::v0_padded, EncryptionVersion::v1}) {
      const Bytes sealed = encrypt(keyring, version, message, {}, kNonce);
      EXPECT_EQ(sealed[0], static_cast<std::uint8_t>(version));
      const std::size_t overhead = sealed.size() - message.size();
      EXPECT_LE(overhead, encryption_overhead(version));
      auto plain = decrypt(keyring, sealed, {});
      ASSERT_TRUE(plain.has_value()) << size;
      EXPECT_EQ(*plain, message);
    }
  }
}

TEST(Keyring, V1AddsExactly29Bytes) {
  const Bytes sealed =
      encrypt(ring({Bytes(32, 1)}), EncryptionVersion::v1, Bytes(100, 7), {}, kNonce);
  EXPECT_EQ(sealed.size(), 129u);
}

TEST(Keyring, WrongKeyFailsAsDecryptFailed) {
  const Bytes sealed =
      encrypt(ring({Bytes(32, 1)}), EncryptionVersion::v1, bytes_of("x"), {}, kNonce);
  auto plain = decrypt(ring({Bytes(32, 2)}), sealed, {});
  ASSERT_FALSE(plain.has_value());
  EXPECT_EQ(plain.error().reason, DropReason::decrypt_failed);
}

TEST(Keyring, AdditionalDataMustMatch) {
  const Keyring keyring = ring({Bytes(16, 1)});
  const Bytes sealed =
      encrypt(keyring, EncryptionVersion::v1, bytes_of("x"), bytes_of("label-a"), kNonce);
  EXPECT_TRUE(decrypt(keyring, sealed, bytes_of("label-a")).has_value());
  EXPECT_EQ(decrypt(keyring, sealed, bytes_of("label-b")).error().reason,
            DropReason::decrypt_failed);
}

TEST(Keyring, TamperedCiphertextOrTagFails) {
  const Keyring keyring = ring({Bytes(16, 1)});
  const Bytes sealed = encrypt(keyring, EncryptionVersion::v1, bytes_of("hello"), {}, kNonce);
  for (std::size_t i = 1; i < sealed.size(); ++i) {
    Bytes damaged = sealed;
    damaged[i] ^= 1;
    EXPECT_EQ(decrypt(keyring, damaged, {}).error().reason, DropReason::decrypt_failed) << i;
  }
}

TEST(Keyring, ShortOrUnknownVersionPayloadsAreRejected) {
  const Keyring keyring = ring({Bytes(16, 1)});
  EXPECT_EQ(decrypt(keyring, {}, {}).error().reason, DropReason::truncated);
  EXPECT_EQ(decrypt(keyring, Bytes(28, 1), {}).error().reason, DropReason::truncated);
  EXPECT_EQ(decrypt(keyring, Bytes(44, 0), {}).error().reason, DropReason::truncated);
  EXPECT_EQ(decrypt(keyring, Bytes(60, 2), {}).error().reason, DropReason::decrypt_failed);
}

TEST(Keyring, ExtraKeyDecryptsDuringRotation) {
  const Bytes old_key(32, 0xaa);
  const Bytes new_key(32, 0xbb);
  Keyring sender = ring({old_key});
  Keyring receiver = ring({old_key});
  ASSERT_TRUE(receiver.add_key(new_key).has_value());
  // Step 1: new key installed everywhere; old key still encrypts.
  EXPECT_TRUE(
      decrypt(receiver, encrypt(sender, EncryptionVersion::v1, bytes_of("1"), {}, kNonce), {})
          .has_value());
  // Step 2: the sender switches to the new key; the receiver opens it with its extra key.
  ASSERT_TRUE(sender.add_key(new_key).has_value());
  ASSERT_TRUE(sender.use_key(new_key).has_value());
  EXPECT_EQ(sender.primary(), new_key);
  const Bytes sealed = encrypt(sender, EncryptionVersion::v1, bytes_of("2"), {}, kNonce);
  EXPECT_TRUE(decrypt(receiver, sealed, {}).has_value());
  // Step 3: the old key is removed; a node with only the old key can no longer read.
  ASSERT_TRUE(sender.remove_key(old_key).has_value());
  EXPECT_EQ(sender.keys().size(), 1u);
  EXPECT_EQ(decrypt(ring({old_key}), sealed, {}).error().reason, DropReason::decrypt_failed);
}

TEST(Keyring, RejectsBadKeysAndProtectsThePrimary) {
  EXPECT_FALSE(Keyring::create({}).has_value());
  EXPECT_FALSE(Keyring::create({Bytes(15, 1)}).has_value());
  EXPECT_FALSE(Keyring::create({Bytes(16, 1), Bytes(16, 1)}).has_value());
  Keyring keyring = ring({Bytes(16, 1)});
  EXPECT_FALSE(keyring.add_key(Bytes(33, 1)).has_value());
  EXPECT_EQ(keyring.remove_key(Bytes(16, 1)).error().code, ErrorCode::conflict);
  EXPECT_EQ(keyring.use_key(Bytes(16, 9)).error().code, ErrorCode::not_found);
}

TEST(Keyring, DecodesSerfKeygenBase64) {
  // 32 bytes 0x00..0x1f in base64, as `serf keygen` prints a key.
  auto key = decode_key_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
  ASSERT_TRUE(key.has_value());
  ASSERT_EQ(key->size(), 32u);
  EXPECT_EQ((*key)[31], 0x1f);
  EXPECT_TRUE(decode_key_base64("AAECAwQFBgcICQoLDA0ODw==").has_value());  // 16 bytes
  EXPECT_FALSE(decode_key_base64("AAECAwQFBgcICQoLDA0O").has_value());     // 15 bytes
  EXPECT_FALSE(decode_key_base64("not base64!!").has_value());
}

}  // namespace
}  // namespace constellation::gossip
