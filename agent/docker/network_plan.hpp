// The standard networks (backend, publicnet, warp-nat-net) as data, and the sans-IO decisions
// about them: which to create, which exist as wanted, which conflict (same name, other subnet:
// reported, never deleted), and which containers to attach to publicnet / warp-nat-net.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "agent/docker/monitor_mapping.hpp"
#include "agent/docker/types.hpp"
#include "shared/error.hpp"

namespace constellation::docker {

/// Networks the agent keeps in place, and the ones opt-in labels attach containers to.
inline constexpr std::string_view kPublicNetwork = "publicnet";
inline constexpr std::string_view kWarpNetwork = "warp-nat-net";
/// The default for the docker_networks option.
inline constexpr std::string_view kDefaultNetworks =
    "backend=10.0.7.0/24,publicnet=10.76.0.0/16,warp-nat-net=10.0.2.0/24";

struct DesiredNetwork {
  std::string name{};
  std::string subnet{};  ///< IPv4 CIDR, e.g. 10.0.7.0/24
  friend bool operator==(const DesiredNetwork&, const DesiredNetwork&) = default;
};

/// Parses "name=CIDR" entries; invalid_argument names the entry and the expected form.
Result<std::vector<DesiredNetwork>> parse_desired_networks(const std::vector<std::string>& entries);

enum class NetworkState { present, missing, conflict };

struct NetworkCheck {
  DesiredNetwork desired{};
  NetworkState state = NetworkState::missing;
  std::string actual_subnets{};  ///< for conflicts: what the existing network has
  std::string id{};              ///< for present/conflict
};

/// Compares the wanted networks with the engine's list (matched by name).
std::vector<NetworkCheck> check_networks(const std::vector<DesiredNetwork>& desired,
                                         const std::vector<NetworkInfo>& existing);

/// The message for a conflict: names the network, both subnets and what to do.
std::string conflict_message(const NetworkCheck& check);

/// One network connect to perform.
struct Attachment {
  std::string network{};
  std::string container{};  ///< container name
  friend bool operator==(const Attachment&, const Attachment&) = default;
};

/// Running containers with traefik.enable=true not yet on publicnet, and with
/// network.warp.enabled=true not yet on warp-nat-net, limited to networks in `usable`
/// (present as wanted: a conflicting network is not attached to).
std::vector<Attachment> plan_attachments(const std::vector<const MappedContainer*>& containers,
                                         const std::vector<std::string>& usable);

}  // namespace constellation::docker
