// Node metadata: the small, slowly changing identity every member gossips in memberlist's
// ≤512-byte meta field (name is the member name itself). Encoded as Serf tags — 0xFF then a
// msgpack map of strings — so a Serf peer lists our nodes with readable tags
// (role=constellation,prio=50,...), and a Serf member's tags decode without error.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/error.hpp"

namespace constellation::cluster {

/// Priority of a node when nothing is configured: 10 for names containing "cloudserver",
/// 50 otherwise. Lower is preferred.
int default_priority(const std::string& node_name);

/// What a node says about itself.
struct NodeMeta {
  std::string role = "constellation";       ///< "constellation" for our agents; a Serf role else
  std::string version{};                    ///< agent version
  int priority = 50;                        ///< lower is preferred for leases
  std::vector<std::string> capabilities{};  ///< e.g. "lb", "dns"
  std::string public_ip{};
  std::string tailscale_ip{};
  /// "host:port" of this node's raft server, only when it runs raft: the leader adds nodes
  /// it sees in gossip with it.
  std::string raft_address{};
  std::map<std::string, std::string> extra{};  ///< tags we do not interpret (Serf peers)

  /// True for a node running constellation (as opposed to a Serf peer).
  bool is_constellation() const { return role == "constellation"; }
  bool has_capability(const std::string& capability) const;
  friend bool operator==(const NodeMeta&, const NodeMeta&) = default;
};

/// The meta bytes; too_large (naming the size) if they exceed memberlist's 512 bytes.
Result<std::vector<std::uint8_t>> encode_node_meta(const NodeMeta& meta);
/// Decodes Serf-style tags. Empty meta, or Serf's pre-tags role string, gives a meta with
/// that role and nothing else; malformed bytes are invalid_argument.
Result<NodeMeta> decode_node_meta(const std::vector<std::uint8_t>& bytes);

/// {"role","version","priority","capabilities","public_ip","tailscale_ip"[,"raft_address"]}
nlohmann::json to_json(const NodeMeta& meta);

}  // namespace constellation::cluster
