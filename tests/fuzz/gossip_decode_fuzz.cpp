// libFuzzer target: raw bytes through every gossip wire decoder (UDP packet with and without a
// keyring, TCP stream message, encrypted stream frame, LZW). Aborts if anything accepted does
// not survive a re-encode/decode round trip, or if LZW does not round-trip the input itself.
// Also meant to be compiled by g++ into a regression test that replays
// tests/fuzz_regression/corpus/gossip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "agent/gossip/keyring.hpp"
#include "agent/gossip/lzw.hpp"
#include "agent/gossip/message_codec.hpp"
#include "agent/gossip/packet.hpp"
#include "agent/gossip/stream.hpp"

namespace {

using namespace constellation::gossip;

/// The key the Go vectors in the corpus were sealed with, so encrypted seeds reach the inside.
const Keyring& fuzz_keyring() {
  static const Keyring keyring = [] {
    const char* key = "0123456789abcdef0123456789abcdef";
    return *Keyring::create({Bytes(key, key + 32), Bytes(16, 0x42)});
  }();
  return keyring;
}

void check_round_trip(const Message& message) {
  auto encoded = encode(message);
  if (!encoded) std::abort();  // accepted something we refuse to send
  auto decoded = decode_message(*encoded);
  if (!decoded || !(*decoded == message)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);

  for (const Keyring* keyring : {static_cast<const Keyring*>(nullptr), &fuzz_keyring()}) {
    PacketOptions options;
    options.keyring = keyring;
    options.verify_incoming = keyring != nullptr;
    if (auto packet = decode_packet(input, options)) {
      for (const Message& message : packet->messages) check_round_trip(message);
    }
  }

  if (auto stream = decode_stream(input)) {
    if (stream->consumed > size) std::abort();
    if (const auto* pp = std::get_if<PushPull>(&stream->message)) {
      auto encoded = encode_push_pull(*pp);
      if (!encoded) std::abort();
      auto again = decode_stream(*encoded);
      if (!again || !(std::get<PushPull>(again->message) == *pp)) std::abort();
    }
  }

  (void)open_stream(fuzz_keyring(), input, "");
  (void)lzw_decompress(input, 1 << 20);

  if (size <= 4096) {
    auto inflated = lzw_decompress(lzw_compress(input));
    if (!inflated || !std::equal(inflated->begin(), inflated->end(), input.begin(), input.end())) {
      std::abort();
    }
  }
  return 0;
}
