// Gossip wire codec micro benchmarks: encode/decode a ping, build/decode a full 1232-byte
// compound (an ack plus piggybacked broadcasts), AES-256-GCM seal/open of 1232 bytes, LZW.
// Anchors measured in the same run: msgpack-cxx packing/unpacking the same ping with no struct
// mapping, and raw OpenSSL EVP AES-256-GCM. Ends with one table: ours, anchor, ratio.
// Usage: gossip_codec_bench [benchmark flags].
#include <openssl/evp.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <msgpack.hpp>
#include "bench/paired_reporter.hpp"

#include "agent/gossip/keyring.hpp"
#include "agent/gossip/lzw.hpp"
#include "agent/gossip/message_codec.hpp"
#include "agent/gossip/packet.hpp"

namespace {

using namespace constellation::gossip;

constexpr std::size_t kPacket = kDefaultMaxPayload;
const Nonce kNonce{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

Ping sample_ping() {
  Ping ping;
  ping.seq_no = 123456;
  ping.node = "cloudserver-2";
  ping.source_addr = {100, 64, 0, 7};
  ping.source_port = 7946;
  ping.source_node = "edge-node-7";
  return ping;
}

std::vector<Bytes> full_compound_parts() {
  AckResp ack;
  ack.seq_no = 1;
  ack.payload = Bytes(130, 0x11);  // about what serf's coordinate payload weighs
  std::vector<Bytes> parts{encode(ack)};
  for (int i = 0; i < 40; ++i) {
    Alive alive;
    alive.incarnation = static_cast<std::uint32_t>(i);
    alive.node = "node-" + std::to_string(i);
    alive.addr = {100, 64, 0, static_cast<std::uint8_t>(i)};
    alive.port = 7946;
    alive.meta = Bytes(60, static_cast<std::uint8_t>(i));
    alive.vsn = kSerfVersions;
    parts.push_back(*encode(alive));
  }
  return parts;
}

PacketOptions plain_options() {
  PacketOptions options;
  options.compress = false;
  options.crc = true;
  return options;
}

const Keyring& bench_keyring() {
  static const Keyring keyring = *Keyring::create({Bytes(32, 0x5a)});
  return keyring;
}

void BM_EncodePing(benchmark::State& state) {
  const Ping ping = sample_ping();
  for (auto _ : state) benchmark::DoNotOptimize(encode(ping));
}

void BM_MsgpackPackPing(benchmark::State& state) {
  const Ping ping = sample_ping();
  for (auto _ : state) {
    msgpack::sbuffer buf;
    buf.write("\0", 1);
    msgpack::packer<msgpack::sbuffer> p(buf);
    p.pack_map(5);
    p.pack(std::string("Node"));
    p.pack(ping.node);
    p.pack(std::string("SeqNo"));
    p.pack(ping.seq_no);
    p.pack(std::string("SourceAddr"));
    p.pack_bin(4);
    p.pack_bin_body(reinterpret_cast<const char*>(ping.source_addr.data()), 4);
    p.pack(std::string("SourceNode"));
    p.pack(ping.source_node);
    p.pack(std::string("SourcePort"));
    p.pack(ping.source_port);
    benchmark::DoNotOptimize(buf.data());
  }
}

void BM_DecodePing(benchmark::State& state) {
  const Bytes bytes = encode(sample_ping());
  for (auto _ : state) benchmark::DoNotOptimize(decode_message(bytes));
}

void BM_MsgpackUnpackPing(benchmark::State& state) {
  const Bytes bytes = encode(sample_ping());
  for (auto _ : state) {
    std::size_t offset = 1;
    auto handle =
        msgpack::unpack(reinterpret_cast<const char*>(bytes.data()), bytes.size(), offset);
    benchmark::DoNotOptimize(handle.get().via.map.size);
  }
}

void BM_BuildFullCompound(benchmark::State& state) {
  const auto parts = full_compound_parts();
  const PacketOptions options = plain_options();
  std::size_t size = 0;
  for (auto _ : state) {
    auto built = build_packet(parts, options, kNonce);
    size = built->datagram.size();
    benchmark::DoNotOptimize(built);
  }
  state.counters["bytes"] = static_cast<double>(size);
}

void BM_DecodeFullCompound(benchmark::State& state) {
  const PacketOptions options = plain_options();
  const Bytes datagram = build_packet(full_compound_parts(), options, kNonce)->datagram;
  std::size_t messages = 0;
  for (auto _ : state) {
    auto decoded = decode_packet(datagram, options);
    messages = decoded->messages.size();
    benchmark::DoNotOptimize(decoded);
  }
  state.counters["messages"] = static_cast<double>(messages);
}

void BM_Encrypt1232(benchmark::State& state) {
  const Bytes payload(kPacket - encryption_overhead(EncryptionVersion::v1), 0x33);
  for (auto _ : state) {
    benchmark::DoNotOptimize(encrypt(bench_keyring(), EncryptionVersion::v1, payload, {}, kNonce));
  }
}

void BM_Decrypt1232(benchmark::State& state) {
  const Bytes payload(kPacket - encryption_overhead(EncryptionVersion::v1), 0x33);
  const Bytes sealed = encrypt(bench_keyring(), EncryptionVersion::v1, payload, {}, kNonce);
  for (auto _ : state) benchmark::DoNotOptimize(decrypt(bench_keyring(), sealed, {}));
}

/// Raw EVP AES-256-GCM seal (or open) of the same payload, context created per call as ours.
void raw_gcm(bool seal, const Bytes& in, Bytes& out, unsigned char* tag) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const Bytes& key = bench_keyring().primary();
  int len = 0;
  if (seal) {
    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), kNonce.data());
    EVP_EncryptUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size()));
    EVP_EncryptFinal_ex(ctx, out.data() + len, &len);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
  } else {
    EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), kNonce.data());
    EVP_DecryptUpdate(ctx, out.data(), &len, in.data(), static_cast<int>(in.size()));
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag);
    benchmark::DoNotOptimize(EVP_DecryptFinal_ex(ctx, out.data() + len, &len));
  }
  EVP_CIPHER_CTX_free(ctx);
}

void BM_RawGcmSeal1232(benchmark::State& state) {
  const Bytes payload(kPacket - encryption_overhead(EncryptionVersion::v1), 0x33);
  Bytes out(payload.size());
  unsigned char tag[16];
  for (auto _ : state) raw_gcm(true, payload, out, tag);
}

void BM_RawGcmOpen1232(benchmark::State& state) {
  const Bytes payload(kPacket - encryption_overhead(EncryptionVersion::v1), 0x33);
  Bytes sealed(payload.size());
  unsigned char tag[16];
  raw_gcm(true, payload, sealed, tag);
  Bytes out(payload.size());
  for (auto _ : state) raw_gcm(false, sealed, out, tag);
}

void BM_LzwCompressCompound(benchmark::State& state) {
  const Bytes datagram = build_packet(full_compound_parts(), plain_options(), kNonce)->datagram;
  for (auto _ : state) benchmark::DoNotOptimize(lzw_compress(datagram));
}

void BM_LzwDecompressCompound(benchmark::State& state) {
  const Bytes compressed =
      lzw_compress(build_packet(full_compound_parts(), plain_options(), kNonce)->datagram);
  for (auto _ : state) benchmark::DoNotOptimize(lzw_decompress(compressed));
}

BENCHMARK(BM_EncodePing);
BENCHMARK(BM_MsgpackPackPing);
BENCHMARK(BM_DecodePing);
BENCHMARK(BM_MsgpackUnpackPing);
BENCHMARK(BM_BuildFullCompound);
BENCHMARK(BM_DecodeFullCompound);
BENCHMARK(BM_Encrypt1232);
BENCHMARK(BM_RawGcmSeal1232);
BENCHMARK(BM_Decrypt1232);
BENCHMARK(BM_RawGcmOpen1232);
BENCHMARK(BM_LzwCompressCompound);
BENCHMARK(BM_LzwDecompressCompound);

}  // namespace

int main(int argc, char** argv) {
  constellation::bench::PairedReporter reporter(
      {
          {"BM_EncodePing", "BM_MsgpackPackPing"},
          {"BM_DecodePing", "BM_MsgpackUnpackPing"},
          {"BM_BuildFullCompound", nullptr},
          {"BM_DecodeFullCompound", nullptr},
          {"BM_Encrypt1232", "BM_RawGcmSeal1232"},
          {"BM_Decrypt1232", "BM_RawGcmOpen1232"},
          {"BM_LzwCompressCompound", nullptr},
          {"BM_LzwDecompressCompound", nullptr},
      },
      "ns per op", "anchor");
  const int status = constellation::bench::run_paired(argc, argv, reporter);
  return status;
}
