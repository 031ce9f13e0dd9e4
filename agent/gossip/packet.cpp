// The UDP pipeline in memberlist's order, and the greedy packer behind the size guard.
#include "agent/gossip/packet.hpp"

#include "agent/gossip/framing.hpp"
#include "agent/gossip/message_codec.hpp"

namespace constellation::gossip {
namespace {

constexpr int kMaxNesting = 4;

/// Decodes one command into `out`, recursing through compound and compress. `inflate_budget`
/// is what decompression may still produce for this datagram.
WireResult<void> read_command(std::span<const std::uint8_t> command, int depth,
                              std::size_t& inflate_budget, DecodedPacket& out) {
  if (depth > kMaxNesting) {
    return wire_fail(DropReason::malformed, "compound/compress nested too deeply");
  }
  auto type = peek_type(command);
  if (!type) return std::unexpected(type.error());
  if (*type == MessageType::compound) {
    auto split = split_compound(command);
    if (!split) return std::unexpected(split.error());
    for (auto part : split->parts) {
      if (auto ok = read_command(part, depth + 1, inflate_budget, out); !ok) {
        out.dropped_parts.push_back(ok.error());
      }
    }
    if (split->truncated_parts > 0) {
      out.dropped_parts.push_back({DropReason::truncated, std::to_string(split->truncated_parts) +
                                                              " compound part(s) cut short"});
    }
    return {};
  }
  if (*type == MessageType::compress) {
    auto inflated = decompress_command(command, inflate_budget);
    if (!inflated) return std::unexpected(inflated.error());
    inflate_budget -= inflated->size();
    return read_command(*inflated, depth + 1, inflate_budget, out);
  }
  auto message = decode_message(command);
  if (!message) return std::unexpected(message.error());
  out.messages.push_back(std::move(*message));
  return {};
}

}  // namespace

std::size_t framing_overhead(const PacketOptions& options) {
  std::size_t overhead = options.crc ? kCrcOverhead : 0;
  if (options.keyring) overhead += encryption_overhead(options.encryption_version);
  if (!options.label.empty()) overhead += 2 + options.label.size();
  return overhead;
}

WireResult<Bytes> seal_packet(std::span<const std::uint8_t> command, const PacketOptions& options,
                              const Nonce& nonce) {
  Bytes buf(command.begin(), command.end());
  if (options.compress) {
    Bytes compressed = compress_command(buf);
    if (compressed.size() < buf.size()) buf = std::move(compressed);
  }
  if (options.crc) buf = add_crc(buf);
  if (options.keyring) {
    const auto* label = reinterpret_cast<const std::uint8_t*>(options.label.data());
    buf = encrypt(*options.keyring, options.encryption_version, buf, {label, options.label.size()},
                  nonce);
  }
  auto labelled = add_label(options.label, buf);
  if (!labelled) return labelled;
  if (labelled->size() > options.max_payload) {
    return wire_fail(DropReason::oversized,
                     "packet of " + std::to_string(labelled->size()) + " bytes exceeds the " +
                         std::to_string(options.max_payload) + "-byte payload limit");
  }
  return labelled;
}

CompoundPlan pack_compound(std::span<const Bytes> candidates, std::size_t budget) {
  CompoundPlan plan;
  std::size_t used = kCompoundHeaderOverhead;
  for (std::size_t i = 0; i < candidates.size() && plan.included.size() < kMaxCompoundParts; ++i) {
    const std::size_t cost = kCompoundPartOverhead + candidates[i].size();
    if (candidates[i].size() > kMaxCompoundPartSize || used + cost > budget) continue;
    used += cost;
    plan.included.push_back(i);
  }
  if (plan.included.size() == 1) {
    plan.command = candidates[plan.included.front()];
  } else if (plan.included.size() > 1) {
    std::vector<Bytes> parts;
    parts.reserve(plan.included.size());
    for (std::size_t i : plan.included) parts.push_back(candidates[i]);
    plan.command = std::move(*make_compound(parts));  // limits were checked above
  }
  return plan;
}

WireResult<BuiltPacket> build_packet(std::span<const Bytes> messages, const PacketOptions& options,
                                     const Nonce& nonce) {
  const std::size_t overhead = framing_overhead(options);
  if (messages.empty() || overhead + messages.front().size() > options.max_payload) {
    return wire_fail(DropReason::oversized, "the first message does not fit the payload limit");
  }
  const std::size_t budget = options.max_payload - overhead;
  CompoundPlan plan;
  if (messages.size() == 1 ||
      overhead + kCompoundHeaderOverhead + kCompoundPartOverhead + messages.front().size() >
          options.max_payload) {
    plan.command = messages.front();  // alone it fits; in a compound it would not
    plan.included = {0};
  } else {
    plan = pack_compound(messages, budget);
  }
  auto datagram = seal_packet(plan.command, options, nonce);
  if (!datagram) return std::unexpected(datagram.error());
  return BuiltPacket{std::move(*datagram), std::move(plan.included)};
}

WireResult<DecodedPacket> decode_packet(std::span<const std::uint8_t> datagram,
                                        const PacketOptions& options) {
  if (datagram.size() > kMaxDatagram) {
    return wire_fail(DropReason::oversized, "datagram larger than 64 KiB");
  }
  auto labelled = split_label(datagram);
  if (!labelled) return std::unexpected(labelled.error());
  if (!options.skip_inbound_label_check && labelled->label != options.label) {
    return wire_fail(DropReason::bad_label, "packet label does not match ours");
  }
  DecodedPacket out;
  std::span<const std::uint8_t> buf = labelled->payload;
  Bytes plain;
  if (options.keyring) {
    const auto* aad = reinterpret_cast<const std::uint8_t*>(labelled->label.data());
    auto opened = decrypt(*options.keyring, buf, {aad, labelled->label.size()});
    if (opened) {
      plain = std::move(*opened);
      buf = plain;
      out.encrypted = true;
    } else if (options.verify_incoming) {
      return std::unexpected(opened.error());
    }
  }
  if (has_crc(buf)) {
    auto stripped = strip_crc(buf);
    if (!stripped) return std::unexpected(stripped.error());
    buf = *stripped;
    out.had_crc = true;
  }
  std::size_t inflate_budget = kMaxInflatedPerDatagram;
  if (auto ok = read_command(buf, 0, inflate_budget, out); !ok) {
    return std::unexpected(ok.error());
  }
  return out;
}

}  // namespace constellation::gossip
