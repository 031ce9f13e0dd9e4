// Member table storage and the address/state formatting used in logs and the API.
#include "agent/gossip/membership.hpp"

#include <algorithm>

namespace constellation::gossip {

std::string Address::to_string() const {
  std::string host;
  if (ip.size() == 4) {
    for (std::size_t i = 0; i < 4; ++i) {
      if (i) host += '.';
      host += std::to_string(ip[i]);
    }
  } else {
    static constexpr char kHex[] = "0123456789abcdef";
    host = "[";
    for (std::size_t i = 0; i < ip.size(); ++i) {
      if (i && i % 2 == 0) host += ':';
      host += kHex[ip[i] >> 4];
      host += kHex[ip[i] & 0xf];
    }
    host += "]";
  }
  return host + ":" + std::to_string(port);
}

std::string_view member_state_name(MemberState state) {
  switch (state) {
    case MemberState::alive:
      return "alive";
    case MemberState::suspect:
      return "suspect";
    case MemberState::dead:
      return "dead";
    case MemberState::left:
      return "left";
  }
  return "unknown";
}

Member* MemberTable::find(const std::string& name) {
  auto it = members_.find(name);
  return it == members_.end() ? nullptr : &it->second;
}

const Member* MemberTable::find(const std::string& name) const {
  auto it = members_.find(name);
  return it == members_.end() ? nullptr : &it->second;
}

Member& MemberTable::insert(Member member, std::mt19937_64& rng) {
  const std::string name = member.name;
  auto [it, inserted] = members_.emplace(name, std::move(member));
  if (inserted) {
    order_.push_back(&it->second);
    const std::size_t pos = std::uniform_int_distribution<std::size_t>(0, order_.size() - 1)(rng);
    std::swap(order_[pos], order_.back());
  }
  return it->second;
}

void MemberTable::erase(const std::string& name) {
  auto found = members_.find(name);
  if (found == members_.end()) return;
  auto it = std::find(order_.begin(), order_.end(), &found->second);
  if (it != order_.end()) {
    const auto pos = static_cast<std::size_t>(it - order_.begin());
    order_.erase(it);
    if (pos < index_) --index_;
  }
  members_.erase(found);
}

}  // namespace constellation::gossip
