// A service-health record: what one node says about one service it runs. Records are owned
// by their node (the origin) and spread by gossip; peers merge them last-writer-wins by the
// origin's version counter, never by wall clock (cluster_view.hpp). The Docker monitor and
// the config-declared checks produce them; the API and console read them as JSON.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace constellation::cluster {

/// Health of one service instance. `running` is a container without a healthcheck.
enum class HealthStatus { healthy, unhealthy, starting, running, stopped };

/// "healthy", "unhealthy", "starting", "running", "stopped".
std::string_view health_status_name(HealthStatus status);
/// Inverse of health_status_name; nullopt for anything else.
std::optional<HealthStatus> parse_health_status(std::string_view name);

/// One service instance on one node.
struct ServiceRecord {
  std::string service;                             ///< service identity (label, compose, name)
  std::string node;                                ///< the origin: the node that runs it
  HealthStatus status = HealthStatus::stopped;     ///<
  std::map<std::string, std::string> endpoints{};  ///< protocol → URL ("http" → "http://…")
  std::vector<std::string> networks{};             ///< networks it is attached to
  std::string source{};                            ///< "docker:<container>" or "check:<name>"
  std::int64_t checked_at_ms = 0;  ///< wall time of the last check, for display only
  std::uint64_t version = 0;       ///< origin's counter when this record last changed
  bool removed = false;            ///< a tombstone: the service is gone from the node
  std::uint32_t instances = 1;     ///< containers/checks of this service on the node
  std::uint32_t ready = 0;         ///< of them, healthy or running (serving)

  /// True when the two describe the same observable state (version, time ignored).
  bool same_state(const ServiceRecord& other) const;
  friend bool operator==(const ServiceRecord&, const ServiceRecord&) = default;
};

/// One record per service: several instances of a service on one node (compose replicas, two
/// containers with one label) become one record whose status is the most urgent of theirs
/// (unhealthy, then starting, then healthy, then running, then stopped), with every
/// instance's endpoints (a later instance's protocol gets "#2", "#3"...), the union of their
/// networks, their sources joined by ",", and `instances`/`ready` counted. Order of first
/// appearance is kept. Pure.
std::vector<ServiceRecord> merge_instances(std::vector<ServiceRecord> records);

/// {"service","node","status","endpoints","networks","source","checked_at_ms","version",
///  "instances","ready"}
nlohmann::json to_json(const ServiceRecord& record);
/// The inverse; nullopt (with `error` set) when a field is missing or of the wrong type.
std::optional<ServiceRecord> record_from_json(const nlohmann::json& json, std::string* error);

}  // namespace constellation::cluster
