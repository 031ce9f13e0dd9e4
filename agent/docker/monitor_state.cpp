// MonitorState (monitor_state.hpp): record versions move only on observable changes, so the
// gossip layer re-broadcasts exactly what changed and a quiet reconcile costs nothing.
#include "agent/docker/monitor_state.hpp"

#include <algorithm>
#include <set>

namespace constellation::docker {

void MonitorState::upsert_into(MappedContainer container, UpdateResult& result) {
  auto it = containers_.find(container.id);
  if (it == containers_.end()) {
    container.record.version = ++version_;
    result.records_changed = true;
    result.flips.push_back(
        {container.name, container.record.service, std::nullopt, container.record.status});
    containers_.emplace(container.id, std::move(container));
    return;
  }
  MappedContainer& old = it->second;
  if (old.record.status != container.record.status)
    result.flips.push_back(
        {container.name, container.record.service, old.record.status, container.record.status});
  if (old.record.same_state(container.record)) {
    container.record.version = old.record.version;
  } else {
    container.record.version = ++version_;
    result.records_changed = true;
  }
  old = std::move(container);
}

UpdateResult MonitorState::upsert(MappedContainer container) {
  UpdateResult result;
  upsert_into(std::move(container), result);
  return result;
}

UpdateResult MonitorState::remove(std::string_view id) {
  UpdateResult result;
  auto it = containers_.find(std::string(id));
  if (it == containers_.end()) return result;
  result.flips.push_back(
      {it->second.name, it->second.record.service, it->second.record.status, std::nullopt});
  result.records_changed = true;
  ++version_;
  containers_.erase(it);
  return result;
}

UpdateResult MonitorState::reconcile(std::vector<MappedContainer> all) {
  UpdateResult result;
  std::set<std::string> present;
  for (const auto& c : all) present.insert(c.id);
  for (auto it = containers_.begin(); it != containers_.end();) {
    if (present.contains(it->first)) {
      ++it;
      continue;
    }
    result.flips.push_back(
        {it->second.name, it->second.record.service, it->second.record.status, std::nullopt});
    result.records_changed = true;
    ++version_;
    it = containers_.erase(it);
  }
  for (auto& c : all) upsert_into(std::move(c), result);
  return result;
}

std::vector<cluster::ServiceRecord> MonitorState::records() const {
  std::vector<const MappedContainer*> sorted;
  for (const auto& [id, c] : containers_) sorted.push_back(&c);
  std::ranges::sort(sorted, {}, &MappedContainer::name);
  std::vector<cluster::ServiceRecord> out;
  out.reserve(sorted.size());
  for (const auto* c : sorted) out.push_back(c->record);
  return out;
}

const MappedContainer* MonitorState::find(std::string_view name) const {
  if (name.empty()) return nullptr;
  for (const auto& [id, c] : containers_)
    if (c.name == name || id == name) return &c;
  if (name.size() >= 4) {
    const MappedContainer* prefixed = nullptr;
    int matches = 0;
    for (const auto& [id, c] : containers_)
      if (id.starts_with(name)) {
        prefixed = &c;
        ++matches;
      }
    if (matches == 1) return prefixed;
  }
  const MappedContainer* by_service = nullptr;
  int matches = 0;
  for (const auto& [id, c] : containers_)
    if (c.record.service == name) {
      by_service = &c;
      ++matches;
    }
  return matches == 1 ? by_service : nullptr;
}

}  // namespace constellation::docker
