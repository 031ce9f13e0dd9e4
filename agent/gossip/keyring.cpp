// AES-GCM through OpenSSL's EVP interface, plus keyring bookkeeping. The OpenSSL context is
// held by a unique_ptr so every early return frees it.
#include "agent/gossip/keyring.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace constellation::gossip {
namespace {

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

bool valid_key_size(std::size_t n) {
  return n == 16 || n == 24 || n == 32;
}

const EVP_CIPHER* gcm_for(std::size_t key_size) {
  switch (key_size) {
    case 16:
      return EVP_aes_128_gcm();
    case 24:
      return EVP_aes_192_gcm();
    default:
      return EVP_aes_256_gcm();
  }
}

Status check_key(std::span<const std::uint8_t> key) {
  if (!valid_key_size(key.size())) {
    return fail(ErrorCode::invalid_argument,
                "gossip key is " + std::to_string(key.size()) +
                    " bytes; use 16, 24 or 32 bytes (AES-128/192/256), e.g. from `keygen`");
  }
  return {};
}

/// One AES-GCM open with one key; false if it does not authenticate.
bool open_with(std::span<const std::uint8_t> key, std::span<const std::uint8_t> nonce,
               std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t> tag,
               std::span<const std::uint8_t> aad, Bytes& plain) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return false;
  int len = 0;
  plain.resize(ciphertext.size());
  if (EVP_DecryptInit_ex(ctx.get(), gcm_for(key.size()), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce.data()) != 1) {
    return false;
  }
  if (!aad.empty() &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) {
    return false;
  }
  int written = 0;
  if (!ciphertext.empty()) {
    if (EVP_DecryptUpdate(ctx.get(), plain.data(), &len, ciphertext.data(),
                          static_cast<int>(ciphertext.size())) != 1) {
      return false;
    }
    written = len;
  }
  Bytes tag_copy(tag.begin(), tag.end());  // OpenSSL's ctrl takes a non-const pointer
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag_copy.data()) != 1) {
    return false;
  }
  if (EVP_DecryptFinal_ex(ctx.get(), plain.data() + written, &len) != 1) return false;
  plain.resize(static_cast<std::size_t>(written + len));
  return true;
}

}  // namespace

std::size_t encryption_overhead(EncryptionVersion version) {
  return version == EncryptionVersion::v0_padded ? 45 : 29;
}

Result<Keyring> Keyring::create(std::vector<Bytes> keys) {
  if (keys.empty()) {
    return fail(ErrorCode::invalid_argument, "gossip keyring needs at least one key");
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (auto ok = check_key(keys[i]); !ok) return std::unexpected(ok.error());
    if (std::find(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(i), keys[i]) !=
        keys.begin() + static_cast<std::ptrdiff_t>(i)) {
      return fail(ErrorCode::invalid_argument,
                  "gossip key " + std::to_string(i + 1) + " repeats an earlier key");
    }
  }
  return Keyring(std::move(keys));
}

Status Keyring::add_key(Bytes key) {
  if (auto ok = check_key(key); !ok) return ok;
  if (std::find(keys_.begin(), keys_.end(), key) == keys_.end()) keys_.push_back(std::move(key));
  return {};
}

Status Keyring::use_key(std::span<const std::uint8_t> key) {
  auto it = std::find_if(keys_.begin(), keys_.end(),
                         [&](const Bytes& k) { return std::ranges::equal(k, key); });
  if (it == keys_.end()) {
    return fail(ErrorCode::not_found, "gossip key is not installed; add it before using it");
  }
  std::rotate(keys_.begin(), it, it + 1);
  return {};
}

Status Keyring::remove_key(std::span<const std::uint8_t> key) {
  auto it = std::find_if(keys_.begin(), keys_.end(),
                         [&](const Bytes& k) { return std::ranges::equal(k, key); });
  if (it == keys_.end()) return fail(ErrorCode::not_found, "gossip key is not installed");
  if (it == keys_.begin()) {
    return fail(ErrorCode::conflict, "cannot remove the primary gossip key; use another first");
  }
  keys_.erase(it);
  return {};
}

Result<Bytes> decode_key_base64(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  if (text.empty() || text.size() % 4 != 0 || text.size() > 64) {
    return fail(ErrorCode::invalid_argument, "gossip key is not base64 of 16, 24 or 32 bytes");
  }
  Bytes out(text.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return fail(ErrorCode::invalid_argument, "gossip key is not valid base64");
  std::size_t size = static_cast<std::size_t>(n);
  if (text.ends_with("==")) {
    size -= 2;
  } else if (text.ends_with("=")) {
    size -= 1;
  }
  out.resize(size);
  if (auto ok = check_key(out); !ok) return std::unexpected(ok.error());
  return out;
}

Nonce random_nonce() {
  Nonce nonce{};
  if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) {
    // The CSPRNG failing is not recoverable and a repeated nonce would break GCM.
    std::abort();
  }
  return nonce;
}

Bytes encrypt(const Keyring& keyring, EncryptionVersion version,
              std::span<const std::uint8_t> plaintext, std::span<const std::uint8_t> aad,
              const Nonce& nonce) {
  const Bytes& key = keyring.primary();
  Bytes input(plaintext.begin(), plaintext.end());
  if (version == EncryptionVersion::v0_padded) {
    const std::size_t pad = 16 - input.size() % 16;
    input.insert(input.end(), pad, static_cast<std::uint8_t>(pad));
  }
  Bytes out;
  out.reserve(1 + kNonceSize + input.size() + kTagSize);
  out.push_back(static_cast<std::uint8_t>(version));
  out.insert(out.end(), nonce.begin(), nonce.end());
  const std::size_t body = out.size();
  out.resize(body + input.size() + kTagSize);

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok = ctx &&
            EVP_EncryptInit_ex(ctx.get(), gcm_for(key.size()), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce.data()) == 1;
  if (ok && !aad.empty()) {
    ok = EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1;
  }
  if (ok && !input.empty()) {
    ok = EVP_EncryptUpdate(ctx.get(), out.data() + body, &len, input.data(),
                           static_cast<int>(input.size())) == 1;
  }
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), out.data() + body + input.size(), &len) == 1 &&
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                           out.data() + body + input.size()) == 1;
  if (!ok) std::abort();  // only reachable if OpenSSL itself is broken; keys are validated
  return out;
}

WireResult<Bytes> decrypt(const Keyring& keyring, std::span<const std::uint8_t> sealed,
                          std::span<const std::uint8_t> aad) {
  if (sealed.empty()) return wire_fail(DropReason::truncated, "empty encrypted payload");
  const std::uint8_t version = sealed[0];
  if (version > static_cast<std::uint8_t>(EncryptionVersion::v1)) {
    return wire_fail(DropReason::decrypt_failed,
                     "unsupported encryption version " + std::to_string(version));
  }
  const auto v = static_cast<EncryptionVersion>(version);
  const std::size_t minimum = v == EncryptionVersion::v1 ? 29 : 45;
  if (sealed.size() < minimum) {
    return wire_fail(DropReason::truncated, "encrypted payload shorter than its overhead");
  }
  const auto nonce = sealed.subspan(1, kNonceSize);
  const auto ciphertext = sealed.subspan(1 + kNonceSize, sealed.size() - 1 - kNonceSize - kTagSize);
  const auto tag = sealed.last(kTagSize);
  Bytes plain;
  for (const Bytes& key : keyring.keys()) {
    if (!open_with(key, nonce, ciphertext, tag, aad, plain)) continue;
    if (v == EncryptionVersion::v0_padded) {
      const std::size_t pad = plain.empty() ? 0 : plain.back();
      if (pad == 0 || pad > 16 || pad > plain.size()) {
        return wire_fail(DropReason::malformed, "bad PKCS#7 padding in a v0 payload");
      }
      plain.resize(plain.size() - pad);
    }
    return plain;
  }
  return wire_fail(DropReason::decrypt_failed, "no installed key could decrypt the message");
}

}  // namespace constellation::gossip
