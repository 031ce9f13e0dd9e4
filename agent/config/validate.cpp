// Checks on the fully layered Config: each option's own rule (ranges, names) plus the rules
// that only make sense on the final value (node name, absolute paths). Errors name the
// option, its value, where that value came from and what is expected.
#include <arpa/inet.h>

#include <cctype>
#include <string>

#include "agent/config/option_rows.hpp"
#include "agent/consensus/lease_config.hpp"

namespace constellation::config::detail {
namespace {

constexpr std::size_t kMaxNodeName = 63;
constexpr std::size_t kMaxSocketPath = 107;  // sun_path is 108 bytes including the NUL

bool is_node_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

Origin origin_of(const std::map<std::string, Origin>& origins, std::string_view key) {
  auto it = origins.find(std::string(key));
  return it == origins.end() ? Origin{} : it->second;
}

Status invalid(const std::map<std::string, Origin>& origins, std::string_view key,
               const std::string& reason) {
  return fail(ErrorCode::bad_config,
              where(origin_of(origins, key)) + "option '" + std::string(key) + "': " + reason);
}

Status check_node(const std::string& node) {
  if (node.empty())
    return fail(ErrorCode::bad_config,
                "node name is empty (set TS_HOSTNAME, --node or 'node' in the config file)");
  if (node.size() > kMaxNodeName)
    return fail(ErrorCode::bad_config, "node name '" + node + "' is longer than 63 characters");
  for (char c : node)
    if (!is_node_char(c))
      return fail(ErrorCode::bad_config, "node name '" + node + "' has the character '" +
                                             std::string(1, c) + "' (expected A-Z a-z 0-9 - _ .)");
  return {};
}

Status check_ip(const std::string& ip) {
  if (ip.empty()) return {};  // detect at run time
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1 || inet_pton(AF_INET6, ip.c_str(), &v6) == 1)
    return {};
  return fail(ErrorCode::bad_config,
              "'" + ip + "' is not an IP address (expected e.g. 203.0.113.7 or 2001:db8::7)");
}

Status check_zone_id(const std::string& zone) {
  for (char c : zone)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      return fail(ErrorCode::bad_config, "zone id '" + zone + "' has the character '" +
                                             std::string(1, c) + "' (expected letters and digits)");
  return {};
}

Status check_absolute(std::string_view what, const std::string& path) {
  if (!path.empty() && path.front() == '/') return {};
  return fail(ErrorCode::bad_config, std::string(what) + " '" + path +
                                         "' is not an absolute path (expected e.g. /var/lib/...)");
}

// gossip_advertise: an IP, "IP:PORT" or "[IPv6]:PORT" (the port itself is checked when the
// agent parses the value for gossip).
Status check_advertise(const std::string& text) {
  if (text.empty()) return {};
  std::string host = text;
  if (text.front() == '[') {
    host = text.substr(1, text.find(']') == std::string::npos ? 0 : text.find(']') - 1);
  } else if (auto colon = text.find(':');
             colon != std::string::npos && text.find(':', colon + 1) == std::string::npos) {
    host = text.substr(0, colon);
  }
  if (!host.empty() && check_ip(host)) return {};
  return fail(ErrorCode::bad_config, "'" + text +
                                         "' is not an IP address with an optional port (expected "
                                         "e.g. 100.64.0.5 or 100.64.0.5:7946)");
}

}  // namespace

Status validate(const Config& config, const std::map<std::string, Origin>& origins) {
  for (const auto& row : rows()) {
    auto ok = check(row, config);
    if (!ok) return invalid(origins, row.spec.key, ok.error().message);
  }
  if (auto ok = check_node(config.node); !ok) return invalid(origins, "node", ok.error().message);
  if (auto ok = check_ip(config.public_ip); !ok)
    return invalid(origins, "public_ip", ok.error().message);
  if (auto ok = check_zone_id(config.cloudflare_zone_id); !ok)
    return invalid(origins, "cloudflare_zone_id", ok.error().message);
  if (auto ok = check_absolute("data directory", config.data_dir); !ok)
    return invalid(origins, "data_dir", ok.error().message);
  if (auto ok = check_absolute("secrets directory", config.secrets_path); !ok)
    return invalid(origins, "secrets_path", ok.error().message);
  if (auto ok = check_absolute("socket", config.socket_path); !ok)
    return invalid(origins, "socket", ok.error().message);
  if (config.gossip_profile != "fast" && config.gossip_profile != "lan")
    return invalid(origins, "gossip_profile",
                   "unknown profile '" + config.gossip_profile + "' (expected fast or lan)");
  if (config.discovery != "none" && config.discovery != "tailscale")
    return invalid(origins, "discovery",
                   "unknown discovery '" + config.discovery + "' (expected none or tailscale)");
  if (auto ok = check_advertise(config.gossip_advertise); !ok)
    return invalid(origins, "gossip_advertise", ok.error().message);
  if (!config.tailscale_socket.empty()) {
    if (auto ok = check_absolute("tailscale socket", config.tailscale_socket); !ok)
      return invalid(origins, "tailscale_socket", ok.error().message);
  }
  if (config.raft_voters % 2 == 0)
    return invalid(origins, "raft_voters",
                   std::to_string(config.raft_voters) +
                       " voters: use an odd number (3 survives one lost voter, 5 two; an even "
                       "count adds a voter to every quorum without surviving one more loss)");
  if (auto ok = consensus::lease_specs(config.leases, config.lease_drift_margin.count()); !ok)
    return invalid(origins, "leases", ok.error().message);
  if (auto ok = consensus::parse_initial_voters(config.raft_initial_voters, config.node); !ok)
    return invalid(origins, "raft_initial_voters", ok.error().message);
  if (config.bootstrap && !config.raft_initial_voters.empty())
    return invalid(origins, "bootstrap",
                   "bootstrap starts a one-voter cluster and raft_initial_voters a cluster of "
                   "the listed voters; use one of them");
  if (config.socket_path.size() > kMaxSocketPath)
    return invalid(origins, "socket",
                   "socket path '" + config.socket_path + "' is longer than 107 bytes");
  return {};
}

}  // namespace constellation::config::detail
