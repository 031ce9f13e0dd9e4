// memberlist's gossip encryption: an ordered keyring of AES-128/192/256 keys and AES-GCM
// sealing in the layout memberlist uses, [version][12-byte nonce][ciphertext || 16-byte tag].
// Key[0] (the primary) encrypts; decryption tries every key in order, so a new key can be
// installed everywhere before it becomes primary (rotation).
//
// Ownership: a Keyring owns copies of its keys; key bytes are never logged or put in errors.
// Threading: a Keyring is a value; const use from several threads is safe. Failure: errors as
// values; the nonce is a parameter so tests and the simulator stay deterministic.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "agent/gossip/messages.hpp"
#include "agent/gossip/wire_error.hpp"
#include "shared/error.hpp"

namespace constellation::gossip {

/// The first byte of an encrypted payload. memberlist picks v0 only when its own protocol
/// version is 1; serf (protocol 2) and we use v1.
enum class EncryptionVersion : std::uint8_t {
  v0_padded = 0,  ///< plaintext PKCS#7-padded to 16 bytes before sealing
  v1 = 1,         ///< no padding
};

inline constexpr std::size_t kNonceSize = 12;
inline constexpr std::size_t kTagSize = 16;
using Nonce = std::array<std::uint8_t, kNonceSize>;

/// Bytes encryption adds to a payload: 29 for v1, at most 45 for v0 (memberlist's figures).
std::size_t encryption_overhead(EncryptionVersion version);

/// An ordered set of AES keys; never empty once created.
class Keyring {
 public:
  /// Builds a keyring, primary first. invalid_argument if `keys` is empty, a key is not 16, 24
  /// or 32 bytes long, or a key repeats.
  static Result<Keyring> create(std::vector<Bytes> keys);

  /// The key that encrypts.
  const Bytes& primary() const { return keys_.front(); }
  /// Every installed key, primary first, in the order decryption tries them.
  std::span<const Bytes> keys() const { return keys_; }

  /// Installs an extra key (it decrypts at once, encrypts only after use_key).
  Status add_key(Bytes key);
  /// Makes an installed key the primary; not_found if it is not installed.
  Status use_key(std::span<const std::uint8_t> key);
  /// Removes an installed key; conflict if it is the primary, not_found if absent.
  Status remove_key(std::span<const std::uint8_t> key);

 private:
  explicit Keyring(std::vector<Bytes> keys) : keys_(std::move(keys)) {}
  std::vector<Bytes> keys_;
};

/// Decodes a base64 key as `serf keygen` prints it and serf's keyring file stores it;
/// invalid_argument unless it is valid base64 of 16, 24 or 32 bytes.
Result<Bytes> decode_key_base64(std::string_view text);

/// A nonce from OpenSSL's CSPRNG (the one place this module touches the outside world).
Nonce random_nonce();

/// Seals `plaintext` with the keyring's primary key: [version][nonce][ct||tag]. `aad` is the
/// GCM additional data (empty for Debian's memberlist 0.2.2 on UDP; see packet.hpp/stream.hpp).
Bytes encrypt(const Keyring& keyring, EncryptionVersion version,
              std::span<const std::uint8_t> plaintext, std::span<const std::uint8_t> aad,
              const Nonce& nonce);

/// Opens a sealed payload with each key in order. `truncated` if shorter than the overhead,
/// `decrypt_failed` for an unknown version or when no key authenticates it, `malformed` for
/// bad v0 padding inside an authentic payload.
WireResult<Bytes> decrypt(const Keyring& keyring, std::span<const std::uint8_t> sealed,
                          std::span<const std::uint8_t> aad);

}  // namespace constellation::gossip
