// Lifeguard's local health awareness: a score in [0, max-1] raised by missed nacks and
// refutations, lowered by successful probes; it stretches the probe interval so a slow or
// overloaded node probes less aggressively instead of accusing healthy peers.
//
// Ownership: a plain value owned by the core. Threading: none (single loop). Never fails.
#pragma once

#include <algorithm>

namespace constellation::gossip {

/// memberlist's awareness (awareness.go).
class Awareness {
 public:
  /// `max` is AwarenessMaxMultiplier; the score never exceeds max - 1.
  explicit Awareness(int max) : max_(std::max(1, max)) {}
  /// Adds `delta` and clamps to [0, max-1].
  void apply_delta(int delta) { score_ = std::clamp(score_ + delta, 0, max_ - 1); }
  /// The current score; 0 is healthy.
  int score() const { return score_; }
  /// `timeout * (score + 1)`.
  template <typename Duration>
  Duration scale(Duration timeout) const {
    return timeout * (score_ + 1);
  }

 private:
  int max_;
  int score_ = 0;
};

}  // namespace constellation::gossip
