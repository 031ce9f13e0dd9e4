// Broadcast queue: a flat vector is enough (a handful to a few thousand entries); selection
// sorts indices by (transmits, newest) each time, which costs far less than encoding a packet.
#include "agent/gossip/broadcast_queue.hpp"

#include <algorithm>

namespace constellation::gossip {

std::uint64_t BroadcastQueue::push(std::string key, Bytes message) {
  if (!key.empty()) {
    std::erase_if(items_, [&](const Item& item) { return item.key == key; });
  }
  const std::uint64_t id = next_id_++;
  items_.push_back(Item{id, std::move(key), std::move(message), 0});
  return id;
}

std::vector<BroadcastQueue::Candidate> BroadcastQueue::candidates(std::size_t max_count) const {
  std::vector<const Item*> order;
  order.reserve(items_.size());
  for (const Item& item : items_) order.push_back(&item);
  const std::size_t n = std::min(max_count, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                    [](const Item* a, const Item* b) {
                      if (a->transmits != b->transmits) return a->transmits < b->transmits;
                      return a->id > b->id;
                    });
  std::vector<Candidate> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(Candidate{order[i]->id, &order[i]->message});
  return out;
}

void BroadcastQueue::mark_sent(std::span<const std::uint64_t> ids, int transmit_limit) {
  if (ids.empty()) return;
  for (Item& item : items_) {
    if (std::find(ids.begin(), ids.end(), item.id) != ids.end()) ++item.transmits;
  }
  std::erase_if(items_, [&](const Item& item) { return item.transmits >= transmit_limit; });
}

bool BroadcastQueue::contains(std::uint64_t id) const {
  return std::any_of(items_.begin(), items_.end(), [&](const Item& item) { return item.id == id; });
}

int BroadcastQueue::max_transmits() const {
  int most = 0;
  for (const Item& item : items_) most = std::max(most, item.transmits);
  return most;
}

}  // namespace constellation::gossip
