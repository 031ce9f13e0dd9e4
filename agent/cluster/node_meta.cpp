// Serf-tag encoding of node metadata (node_meta.hpp).
#include "agent/cluster/node_meta.hpp"

#include <algorithm>
#include <charconv>

#include "shared/strings.hpp"

namespace constellation::cluster {
namespace {
constexpr std::uint8_t kSerfTagMagic = 0xFF;  // serf.go tagMagicByte
constexpr std::size_t kMaxMetaSize = 512;     // memberlist MetaMaxSize

// The tags we interpret; everything else is carried in `extra`.
constexpr const char* kRole = "role";
constexpr const char* kVersion = "ver";
constexpr const char* kPriority = "prio";
constexpr const char* kCapabilities = "caps";
constexpr const char* kPublicIp = "pub";
constexpr const char* kTailscaleIp = "ts";
constexpr const char* kRaftAddress = "raft";
}  // namespace

int default_priority(const std::string& node_name) {
  return node_name.find("cloudserver") != std::string::npos ? 10 : 50;
}

bool NodeMeta::has_capability(const std::string& capability) const {
  return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

Result<std::vector<std::uint8_t>> encode_node_meta(const NodeMeta& meta) {
  nlohmann::json tags = nlohmann::json::object();
  for (const auto& [key, value] : meta.extra) tags[key] = value;
  tags[kRole] = meta.role;
  if (!meta.version.empty()) tags[kVersion] = meta.version;
  tags[kPriority] = std::to_string(meta.priority);
  if (!meta.capabilities.empty()) tags[kCapabilities] = join(meta.capabilities, ",");
  if (!meta.public_ip.empty()) tags[kPublicIp] = meta.public_ip;
  if (!meta.tailscale_ip.empty()) tags[kTailscaleIp] = meta.tailscale_ip;
  if (!meta.raft_address.empty()) tags[kRaftAddress] = meta.raft_address;
  std::vector<std::uint8_t> bytes{kSerfTagMagic};
  nlohmann::json::to_msgpack(tags, bytes);
  if (bytes.size() > kMaxMetaSize)
    return fail(ErrorCode::too_large,
                "node meta is " + std::to_string(bytes.size()) +
                    " bytes; gossip allows 512 — use fewer or shorter capabilities");
  return bytes;
}

Result<NodeMeta> decode_node_meta(const std::vector<std::uint8_t>& bytes) {
  NodeMeta meta;
  if (bytes.empty() || bytes.front() != kSerfTagMagic) {
    meta.role.assign(bytes.begin(), bytes.end());  // Serf before protocol 3: the role only
    meta.priority = 0;
    return meta;
  }
  auto tags = nlohmann::json::from_msgpack(bytes.begin() + 1, bytes.end(), true, false);
  if (tags.is_discarded() || !tags.is_object())
    return fail(ErrorCode::invalid_argument, "node meta is not a msgpack map of tags");
  meta.role.clear();
  meta.priority = 0;
  for (const auto& [key, value] : tags.items()) {
    if (!value.is_string())
      return fail(ErrorCode::invalid_argument, "node meta tag '" + key + "' is not a string");
    auto text = value.get<std::string>();
    if (key == kRole) {
      meta.role = text;
    } else if (key == kVersion) {
      meta.version = text;
    } else if (key == kPriority) {
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), meta.priority);
      if (ec != std::errc{} || end != text.data() + text.size())
        return fail(ErrorCode::invalid_argument,
                    "node meta priority '" + text + "' is not a number");
    } else if (key == kCapabilities) {
      meta.capabilities = split(text, ',');
    } else if (key == kPublicIp) {
      meta.public_ip = text;
    } else if (key == kTailscaleIp) {
      meta.tailscale_ip = text;
    } else if (key == kRaftAddress) {
      meta.raft_address = text;
    } else {
      meta.extra[key] = text;
    }
  }
  return meta;
}

nlohmann::json to_json(const NodeMeta& meta) {
  nlohmann::json json{{"role", meta.role},           {"version", meta.version},
                      {"priority", meta.priority},   {"capabilities", meta.capabilities},
                      {"public_ip", meta.public_ip}, {"tailscale_ip", meta.tailscale_ip}};
  if (!meta.raft_address.empty()) json["raft_address"] = meta.raft_address;
  if (!meta.extra.empty()) json["tags"] = meta.extra;
  return json;
}

}  // namespace constellation::cluster
