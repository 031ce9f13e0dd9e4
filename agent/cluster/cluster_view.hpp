// The cluster's service-health table as one node sees it: its own records, which it owns and
// versions, and every peer's, merged last-writer-wins by (origin, version) — never by wall
// clock. Changes leave as small user-message deltas (relayed once by every node that accepts
// them, so they spread epidemically); the whole table rides on every push/pull for
// anti-entropy. Deletions are tombstones, kept while their origin lives. When a node is
// declared dead or leaves, everything it owned is forgotten.
//
// Sans-IO: fed bytes and the member states, it returns changes and payloads to broadcast.
// Ownership: owns the records. Threading: one loop. Failure: malformed input is reported in
// Update::dropped and changes nothing; nothing here throws.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "agent/cluster/service_record.hpp"

namespace constellation::cluster {

/// First byte of our user payloads. Serf owns types 0–9; these stay clear of them.
inline constexpr std::uint8_t kRecordDeltaType = 0xC1;
inline constexpr std::uint8_t kRecordStateType = 0xC2;
/// Tombstones kept per origin; the oldest go first beyond this.
inline constexpr std::size_t kMaxTombstonesPerOrigin = 256;

/// One record that changed in this node's view.
struct RecordChange {
  ServiceRecord record;                    ///< the new record (removed = it is gone)
  std::optional<HealthStatus> previous{};  ///< status before, if the record was known
};

/// A payload to gossip, with the key that lets a newer one replace it in the queue.
struct Broadcast {
  std::string key;
  std::vector<std::uint8_t> payload;
};

/// What one input did.
struct ViewUpdate {
  std::vector<RecordChange> changes;
  std::vector<Broadcast> broadcasts;
  std::optional<std::string> dropped;  ///< why the input was ignored, if it was
};

class ClusterView {
 public:
  /// Whether `node` is currently a live member (alive or suspect); records of other origins
  /// are refused so a stale peer cannot resurrect a dead node's services.
  using LivePredicate = std::function<bool(const std::string& node)>;

  explicit ClusterView(std::string self);

  /// Replaces this node's whole record set. Changed records get the next versions, vanished
  /// ones become tombstones; each change becomes a delta broadcast.
  ViewUpdate set_local(std::vector<ServiceRecord> records);
  /// A delta from a peer (a user message).
  ViewUpdate apply_message(std::span<const std::uint8_t> bytes, const LivePredicate& live);
  /// A peer's push/pull snapshot.
  ViewUpdate merge_state(std::span<const std::uint8_t> bytes, const LivePredicate& live);
  /// Our snapshot for push/pull: every record and tombstone we hold.
  std::vector<std::uint8_t> encode_state() const;
  /// Drops everything `node` owned (dead or left); the removals come back as changes.
  ViewUpdate forget(const std::string& node);

  /// Live records (tombstones excluded), by (node, service).
  std::vector<ServiceRecord> records() const;
  std::vector<ServiceRecord> records_of_node(const std::string& node) const;
  std::vector<ServiceRecord> instances_of(const std::string& service) const;
  std::uint64_t local_version() const { return version_; }
  const std::string& self() const { return self_; }

 private:
  using Key = std::pair<std::string, std::string>;  // (node, service)
  /// Accepts `record` if newer than what we hold; returns whether it changed the view.
  bool accept(ServiceRecord record, const LivePredicate& live, ViewUpdate& update);
  /// A peer holds our own record at `version` or later: jump past it and re-announce.
  void refute(std::uint64_t version, ViewUpdate& update);
  void publish_local(const ServiceRecord& record, ViewUpdate& update);
  void trim_tombstones(const std::string& node);

  std::string self_;
  std::uint64_t version_ = 0;
  std::map<Key, ServiceRecord> records_;
};

/// The delta payload for one record (type byte, then msgpack).
std::vector<std::uint8_t> encode_delta(const ServiceRecord& record);

}  // namespace constellation::cluster
