// Sans-IO mapping from an inspected container to what the agent publishes about it: the
// service-health record gossip carries, plus the operator's view (/api/v1/containers) and the
// opt-in labels repair and networks act on. Pure functions: tests feed ContainerInfo values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/cluster/service_record.hpp"
#include "agent/docker/types.hpp"

namespace constellation::docker {

/// Labels the agent reads; also the "labels of interest" shown by /api/v1/containers.
namespace label_keys {
inline constexpr std::string_view service = "constellation.service";
inline constexpr std::string_view compose_service = "com.docker.compose.service";
inline constexpr std::string_view restart_on_unhealthy = "deunhealth.restart.on.unhealthy";
inline constexpr std::string_view traefik_enable = "traefik.enable";
inline constexpr std::string_view warp_enabled = "network.warp.enabled";
inline constexpr std::string_view traefik_prefix = "traefik.";
}  // namespace label_keys

/// One container as the monitor sees it after mapping.
struct MappedContainer {
  std::string id{};
  std::string name{};
  std::string image{};
  std::string state{};   ///< Docker's State.Status: running, exited, ...
  std::string health{};  ///< State.Health.Status: none, starting, healthy, unhealthy
  int restart_count = 0;
  cluster::ServiceRecord record{};  ///< version is left 0: the monitor numbers changes
  Labels labels_of_interest{};      ///< constellation.*, compose service, deunhealth, traefik.*
  bool restart_on_unhealthy = false;
  bool traefik_enabled = false;
  bool warp_enabled = false;
  /// Malformed labels, each naming the container and the label; the container is still mapped.
  std::vector<std::string> warnings{};
};

/// The health a container's state maps to: not running -> stopped; else its healthcheck
/// status (healthy, unhealthy, starting) or running when it has none.
cluster::HealthStatus container_health(const ContainerInfo& info);

/// Service identity: constellation.service, else com.docker.compose.service, else the
/// container name without '/'. A label that is present but blank or holds whitespace is a
/// warning and the next source is used.
std::string service_identity(const ContainerInfo& info, std::vector<std::string>* warnings);

/// Endpoints (protocol -> URL) at the container's address: from Traefik service labels
/// (traefik.{http,tcp,udp}.services.X.loadbalancer.server.port, and .scheme for http) when any
/// are valid, else from exposed ports ("8080/tcp" -> "tcp://IP:8080"). The address is the one on
/// `preferred_network` when attached there, else on the first network with an address. A second
/// endpoint of the same protocol is keyed "protocol:port". No address, no endpoints.
std::map<std::string, std::string> container_endpoints(const ContainerInfo& info,
                                                       std::string_view preferred_network,
                                                       std::vector<std::string>* warnings);

/// Maps one inspected container; `node` becomes the record's origin and `now_ms` its
/// checked_at_ms. Never fails: malformed labels become warnings.
MappedContainer map_container(const ContainerInfo& info, std::string_view node, std::int64_t now_ms,
                              std::string_view preferred_network = "publicnet");

/// {"name","id","image","service","state","health","status","restart_count","networks",
///  "endpoints","labels","warnings"} for /api/v1/containers.
nlohmann::json to_json(const MappedContainer& container);

}  // namespace constellation::docker
