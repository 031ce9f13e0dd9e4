// Last-writer-wins merge of service-health records (cluster_view.hpp).
#include "agent/cluster/cluster_view.hpp"

#include <algorithm>
#include <set>

namespace constellation::cluster {
namespace {
std::string broadcast_key(const ServiceRecord& record) {
  return "svc:" + record.node + "/" + record.service;
}

std::vector<std::uint8_t> typed_msgpack(std::uint8_t type, const nlohmann::json& json) {
  std::vector<std::uint8_t> bytes{type};
  nlohmann::json::to_msgpack(json, bytes);
  return bytes;
}

// Decodes `[type][msgpack]` into JSON; nullopt and `why` when it is not one of ours.
std::optional<nlohmann::json> typed_json(std::span<const std::uint8_t> bytes, std::uint8_t type,
                                         std::string& why) {
  if (bytes.empty()) {
    why = "empty payload";
    return std::nullopt;
  }
  if (bytes.front() != type) {
    why = "not a constellation payload (type " + std::to_string(bytes.front()) + ")";
    return std::nullopt;
  }
  auto json = nlohmann::json::from_msgpack(bytes.begin() + 1, bytes.end(), true, false);
  if (json.is_discarded()) {
    why = "malformed msgpack";
    return std::nullopt;
  }
  return json;
}
}  // namespace

std::vector<std::uint8_t> encode_delta(const ServiceRecord& record) {
  return typed_msgpack(kRecordDeltaType, to_json(record));
}

ClusterView::ClusterView(std::string self) : self_(std::move(self)) {}

void ClusterView::publish_local(const ServiceRecord& record, ViewUpdate& update) {
  update.broadcasts.push_back(Broadcast{broadcast_key(record), encode_delta(record)});
}

ViewUpdate ClusterView::set_local(std::vector<ServiceRecord> records) {
  ViewUpdate update;
  std::set<std::string> present;
  for (auto& record : merge_instances(std::move(records))) {
    record.node = self_;
    record.removed = false;
    present.insert(record.service);
    auto it = records_.find({self_, record.service});
    if (it != records_.end() && it->second.same_state(record)) {
      it->second.checked_at_ms = record.checked_at_ms;
      continue;
    }
    std::optional<HealthStatus> previous;
    if (it != records_.end() && !it->second.removed) previous = it->second.status;
    record.version = ++version_;
    records_[{self_, record.service}] = record;
    publish_local(record, update);
    update.changes.push_back(RecordChange{record, previous});
  }
  for (auto& [key, record] : records_) {
    if (key.first != self_ || record.removed || present.contains(key.second)) continue;
    auto previous = record.status;
    record.removed = true;
    record.version = ++version_;
    publish_local(record, update);
    update.changes.push_back(RecordChange{record, previous});
  }
  trim_tombstones(self_);
  return update;
}

void ClusterView::refute(std::uint64_t version, ViewUpdate& update) {
  version_ = std::max(version_, version);
  for (auto& [key, record] : records_) {
    if (key.first != self_) continue;
    record.version = ++version_;
    publish_local(record, update);
  }
}

bool ClusterView::accept(ServiceRecord record, const LivePredicate& live, ViewUpdate& update) {
  if (record.node == self_) {
    // Only we write our records. A peer holding a version we have not issued means we
    // restarted while it remembered us: move past it, and tombstone what we no longer run.
    if (record.version <= version_) return false;
    auto key = Key{self_, record.service};
    if (!records_.contains(key)) {
      record.removed = true;
      records_[key] = record;
    }
    refute(record.version, update);
    return false;
  }
  if (!live(record.node)) return false;
  Key key{record.node, record.service};
  auto it = records_.find(key);
  if (it != records_.end() && it->second.version >= record.version) return false;
  std::optional<HealthStatus> previous;
  if (it != records_.end() && !it->second.removed) previous = it->second.status;
  const bool was_absent = it == records_.end() || it->second.removed;
  if (record.removed && was_absent) {
    records_[key] = record;  // a tombstone for something we never saw: remember, say nothing
    trim_tombstones(record.node);
    return true;
  }
  records_[key] = record;
  update.changes.push_back(RecordChange{record, previous});
  if (record.removed) trim_tombstones(record.node);
  return true;
}

ViewUpdate ClusterView::apply_message(std::span<const std::uint8_t> bytes,
                                      const LivePredicate& live) {
  ViewUpdate update;
  std::string why;
  auto json = typed_json(bytes, kRecordDeltaType, why);
  if (!json) {
    update.dropped = "service record delta: " + why;
    return update;
  }
  auto record = record_from_json(*json, &why);
  if (!record) {
    update.dropped = "service record delta: " + why;
    return update;
  }
  ServiceRecord relay = *record;
  if (accept(std::move(*record), live, update) && relay.node != self_)
    update.broadcasts.push_back(Broadcast{broadcast_key(relay), encode_delta(relay)});
  return update;
}

ViewUpdate ClusterView::merge_state(std::span<const std::uint8_t> bytes,
                                    const LivePredicate& live) {
  ViewUpdate update;
  std::string why;
  auto json = typed_json(bytes, kRecordStateType, why);
  if (!json || !json->is_object() || !json->contains("records") || !(*json)["records"].is_array()) {
    update.dropped = "service record state: " + (why.empty() ? "no records array" : why);
    return update;
  }
  // Validate everything first: a snapshot is applied whole or not at all.
  std::vector<ServiceRecord> records;
  for (const auto& item : (*json)["records"]) {
    auto record = record_from_json(item, &why);
    if (!record) {
      update.dropped = "service record state: " + why;
      return update;
    }
    records.push_back(std::move(*record));
  }
  for (auto& record : records) accept(std::move(record), live, update);
  return update;
}

std::vector<std::uint8_t> ClusterView::encode_state() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [key, record] : records_) list.push_back(to_json(record));
  return typed_msgpack(kRecordStateType, {{"records", std::move(list)}});
}

ViewUpdate ClusterView::forget(const std::string& node) {
  ViewUpdate update;
  if (node == self_) return update;
  for (auto it = records_.begin(); it != records_.end();) {
    if (it->first.first != node) {
      ++it;
      continue;
    }
    if (!it->second.removed) {
      ServiceRecord gone = it->second;
      gone.removed = true;
      update.changes.push_back(RecordChange{gone, it->second.status});
    }
    it = records_.erase(it);
  }
  return update;
}

void ClusterView::trim_tombstones(const std::string& node) {
  std::vector<std::pair<std::uint64_t, Key>> tombstones;
  for (const auto& [key, record] : records_)
    if (key.first == node && record.removed) tombstones.emplace_back(record.version, key);
  if (tombstones.size() <= kMaxTombstonesPerOrigin) return;
  std::sort(tombstones.begin(), tombstones.end());
  for (std::size_t i = 0; i < tombstones.size() - kMaxTombstonesPerOrigin; ++i)
    records_.erase(tombstones[i].second);
}

std::vector<ServiceRecord> ClusterView::records() const {
  std::vector<ServiceRecord> out;
  for (const auto& [key, record] : records_)
    if (!record.removed) out.push_back(record);
  return out;
}

std::vector<ServiceRecord> ClusterView::records_of_node(const std::string& node) const {
  std::vector<ServiceRecord> out;
  for (const auto& [key, record] : records_)
    if (key.first == node && !record.removed) out.push_back(record);
  return out;
}

std::vector<ServiceRecord> ClusterView::instances_of(const std::string& service) const {
  std::vector<ServiceRecord> out;
  for (const auto& [key, record] : records_)
    if (key.second == service && !record.removed) out.push_back(record);
  return out;
}

}  // namespace constellation::cluster
