// The member table: every node this core knows (itself included), with state, incarnation
// and meta, plus the shuffled round-robin probe order SWIM walks through. Holds no protocol
// rules; core_state.cpp decides what changes it.
//
// Ownership: owns the members. Threading: none (the core's loop). Never fails; lookups of
// unknown names return nullptr.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "agent/gossip/messages.hpp"

namespace constellation::gossip {

/// A peer's gossip address: IP bytes (4 or 16) and port, as memberlist carries them.
struct Address {
  Bytes ip;
  std::uint16_t port = 0;
  friend auto operator<=>(const Address&, const Address&) = default;
  friend bool operator==(const Address&, const Address&) = default;
  /// "1.2.3.4:7946" or "[v6]:7946" for logs and the API.
  std::string to_string() const;
};

/// State as memberlist names it (the push/pull `State` int).
using MemberState = NodeState;
/// "alive", "suspect", "dead", "left".
std::string_view member_state_name(MemberState state);

/// What we know about one member.
struct Member {
  std::string name;
  Address address;
  std::optional<Bytes> meta;
  std::uint32_t incarnation = 0;
  MemberState state = MemberState::alive;
  std::chrono::steady_clock::time_point state_change{};
  VersionVector vsn;
};

/// Members by name and the probe order.
class MemberTable {
 public:
  /// The member called `name`, or nullptr.
  Member* find(const std::string& name);
  const Member* find(const std::string& name) const;
  /// Adds a member at a random position of the probe order (memberlist swaps it with a random
  /// slot, so a new node is not probed by everyone at once). The name must be new.
  Member& insert(Member member, std::mt19937_64& rng);
  /// Forgets a member.
  void erase(const std::string& name);
  /// Next name in the probe order, reshuffling at the end of each round; nullopt when the
  /// table holds nothing `probeable`.
  template <typename Pred>
  std::optional<std::string> next_probe_target(Pred probeable, std::mt19937_64& rng);
  /// Up to `k` distinct random members accepted by `accept`, sampled as memberlist's
  /// kRandomNodes does (at most 3n draws, so it can return fewer when few qualify).
  template <typename Pred>
  std::vector<const Member*> random(std::size_t k, Pred accept, std::mt19937_64& rng) const;
  /// All members by name.
  const std::map<std::string, Member>& all() const { return members_; }
  std::map<std::string, Member>& all() { return members_; }
  std::size_t size() const { return members_.size(); }

 private:
  std::map<std::string, Member> members_;
  std::vector<Member*> order_;  ///< map nodes are stable, so pointers stay valid
  std::size_t index_ = 0;
};

template <typename Pred>
std::optional<std::string> MemberTable::next_probe_target(Pred probeable, std::mt19937_64& rng) {
  for (std::size_t checked = 0; checked <= order_.size(); ++checked) {
    if (index_ >= order_.size()) {
      std::shuffle(order_.begin(), order_.end(), rng);
      index_ = 0;
    }
    if (order_.empty()) return std::nullopt;
    const Member* member = order_[index_++];
    if (probeable(*member)) return member->name;
  }
  return std::nullopt;
}

template <typename Pred>
std::vector<const Member*> MemberTable::random(std::size_t k, Pred accept,
                                               std::mt19937_64& rng) const {
  std::vector<const Member*> out;
  const std::size_t n = order_.size();
  if (n == 0) return out;
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  for (std::size_t draw = 0; draw < 3 * n && out.size() < k; ++draw) {
    const Member* m = order_[pick(rng)];
    if (!accept(*m) || std::find(out.begin(), out.end(), m) != out.end()) continue;
    out.push_back(m);
  }
  return out;
}

}  // namespace constellation::gossip
