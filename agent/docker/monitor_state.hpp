// The monitor's sans-IO core: the set of containers on this node as last inspected, the
// service records derived from them with a version counter that moves only when a record's
// observable state changes, and the health flips each update causes. The DockerMonitor adapter
// feeds it inspect results; tests feed it MappedContainer values directly.
//
// Not thread-safe: owned by one thread (the agent's loop thread).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/docker/monitor_mapping.hpp"

namespace constellation::docker {

/// A container whose health changed: `from` is nullopt for a newly seen container, `to` is
/// nullopt for one that is gone.
struct HealthChange {
  std::string container{};
  std::string service{};
  std::optional<cluster::HealthStatus> from{};
  std::optional<cluster::HealthStatus> to{};
};

/// What an update did: health flips, and whether any record changed (the sink needs a push).
struct UpdateResult {
  std::vector<HealthChange> flips{};
  bool records_changed = false;
};

class MonitorState {
 public:
  /// Inserts or replaces one container (keyed by id).
  UpdateResult upsert(MappedContainer container);
  /// Drops a container that was destroyed; unknown ids change nothing.
  UpdateResult remove(std::string_view id);
  /// A full listing: containers absent from `all` are dropped, the rest upserted.
  UpdateResult reconcile(std::vector<MappedContainer> all);

  /// The node's current records, one per container, ordered by container name.
  std::vector<cluster::ServiceRecord> records() const;
  /// Containers by id.
  const std::map<std::string, MappedContainer>& containers() const { return containers_; }
  /// A container by name, id or id prefix (>= 4 characters), else by service name when exactly
  /// one container provides it; nullptr when there is no (unique) match.
  const MappedContainer* find(std::string_view name) const;
  /// The version counter: bumped once per record change.
  std::uint64_t version() const { return version_; }

 private:
  void upsert_into(MappedContainer container, UpdateResult& result);

  std::map<std::string, MappedContainer> containers_;
  std::uint64_t version_ = 0;
};

}  // namespace constellation::docker
