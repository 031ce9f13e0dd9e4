// One suspicion timer (Lifeguard): starts at the max timeout and shrinks toward the min as
// independent members confirm the suspicion, so real failures are declared fast while a
// lone, possibly unhealthy, accuser cannot kill a node quickly (memberlist suspicion.go).
//
// Ownership: a value owned by the core per suspected member. Threading: none. Never fails.
#pragma once

#include <chrono>
#include <cstddef>
#include <set>
#include <string>

#include "agent/gossip/timing.hpp"

namespace constellation::gossip {

/// A suspicion about one member, tracked in virtual or real time alike.
class Suspicion {
 public:
  using Instant = std::chrono::steady_clock::time_point;

  /// `from` is the first accuser (not counted as a confirmation); `k` the confirmations
  /// expected; min/max the bounds from timing.hpp.
  Suspicion(std::string from, std::size_t k, Millis min, Millis max, Instant start);

  /// Records a confirmation from another member; true if it was new and counted (then the
  /// deadline moved closer and the suspect message is worth re-gossiping).
  bool confirm(const std::string& from);
  /// When the member is declared dead unless refuted first.
  Instant deadline() const {
    return start_ + suspicion_timeout(confirmers_.size() - 1, k_, min_, max_);
  }
  /// Confirmations counted so far (excluding the first accuser).
  std::size_t confirmations() const { return confirmers_.size() - 1; }
  /// Every member that accused, the first accuser included (for /api/v1/members).
  const std::set<std::string>& accusers() const { return confirmers_; }

 private:
  std::size_t k_;
  Millis min_, max_;
  Instant start_;
  std::set<std::string> confirmers_;
};

}  // namespace constellation::gossip
