// Engine API values as the agent uses them: the subset of container, network and event
// fields that monitoring, repair and networks need, decoded from the engine's JSON by
// decode.hpp and built into request bodies by request.hpp. Plain data, no behaviour.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace constellation::docker {

/// Container or network labels (key -> value).
using Labels = std::map<std::string, std::string>;
/// Engine filters: key -> values; values OR-ed, keys AND-ed ({"label": ["a=b"]}).
using Filters = std::map<std::string, std::vector<std::string>>;

/// One item of GET /containers/json.
struct ContainerSummary {
  std::string id{};
  std::string name{};  ///< first name without the leading '/'
  std::string image{};
  std::string state{};   ///< created|restarting|running|removing|paused|exited|dead
  std::string status{};  ///< human text, e.g. "Up 4 minutes (healthy)"
  Labels labels{};
};

/// A container's address on one network.
struct NetworkAttachment {
  std::string network_id{};
  std::string ip_address{};
  int prefix_len = 0;
  std::string gateway{};
  std::vector<std::string> aliases{};
};

/// GET /containers/{id}/json, the fields the agent reads.
struct ContainerInfo {
  std::string id{};
  std::string name{};  ///< without the leading '/'
  std::string image{};
  std::string status{};  ///< State.Status
  bool running = false;
  int exit_code = 0;
  int restart_count = 0;
  std::string
      health{};  ///< State.Health.Status: none|starting|healthy|unhealthy ("none" if absent)
  int failing_streak = 0;
  std::string started_at{};
  Labels labels{};
  std::vector<std::string> exposed_ports{};             ///< Config.ExposedPorts keys: "8080/tcp"
  std::map<std::string, NetworkAttachment> networks{};  ///< by network name
};

/// A healthcheck in a create request; durations become nanoseconds on the wire.
struct HealthcheckSpec {
  std::vector<std::string> test{};  ///< {"CMD-SHELL", "test -f /tmp/healthy"}
  std::chrono::milliseconds interval{0};
  std::chrono::milliseconds timeout{0};
  std::chrono::milliseconds start_period{0};
  int retries = 0;
};

/// POST /containers/create: the fields the agent and its tests set.
struct ContainerSpec {
  std::string image{};
  std::vector<std::string> cmd{};
  std::vector<std::string> env{};
  std::vector<std::string> exposed_ports{};  ///< "8080/tcp"
  Labels labels{};
  std::optional<HealthcheckSpec> healthcheck{};
  std::vector<std::string> binds{};  ///< "/host:/container[:ro]"
  std::string network_mode{};        ///< "" = engine default
  std::string restart_policy{};      ///< "", no, always, unless-stopped, on-failure
};

/// One IPAM pool of a network.
struct IpamPool {
  std::string subnet{};
  std::string gateway{};
};

/// POST /networks/create.
struct NetworkSpec {
  std::string name{};
  std::string driver = "bridge";
  std::vector<IpamPool> pools{};
  Labels labels{};
  bool internal = false;
  bool attachable = false;
};

/// GET /networks or /networks/{id}.
struct NetworkInfo {
  std::string id{};
  std::string name{};
  std::string driver{};
  std::string scope{};
  bool internal = false;
  std::vector<IpamPool> pools{};
  Labels labels{};
  std::map<std::string, std::string> containers{};  ///< container id -> IPv4 address (CIDR)
};

/// One message of GET /events. Only Type/Action/Actor/time are read: API 1.52 dropped the
/// legacy status/id/from fields.
struct Event {
  std::string type{};    ///< container, network, image, ...
  std::string action{};  ///< start, die, "health_status: healthy", ...
  std::string actor_id{};
  std::map<std::string, std::string> attributes{};  ///< name, image, exitCode and the labels
  std::int64_t time_nano = 0;

  /// "healthy" for "health_status: healthy"; empty for other actions.
  std::string health_status() const;
};

/// GET /events parameters.
struct EventsQuery {
  Filters filters{};
  std::optional<std::int64_t> since{};  ///< unix seconds
  std::optional<std::int64_t> until{};  ///< unix seconds; the stream ends there
};

/// POST /build parameters (the context is a tar archive).
struct BuildOptions {
  std::string tag{};  ///< name:tag
  std::string dockerfile = "Dockerfile";
  bool nocache = false;
  Labels labels{};
};

/// What a finished build produced.
struct BuildResult {
  std::string image_id{};  ///< sha256:… from the aux message (may be empty on old engines)
  std::string log{};       ///< the concatenated "stream" text
};

}  // namespace constellation::docker
