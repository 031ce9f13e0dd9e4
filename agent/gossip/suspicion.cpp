// Suspicion timer: confirmations are counted once per distinct accuser and only up to k,
// as memberlist does, so a flood of duplicate suspect messages cannot shorten the timeout.
#include "agent/gossip/suspicion.hpp"

namespace constellation::gossip {

Suspicion::Suspicion(std::string from, std::size_t k, Millis min, Millis max, Instant start)
    : k_(k), min_(min), max_(max), start_(start) {
  confirmers_.insert(std::move(from));
}

bool Suspicion::confirm(const std::string& from) {
  if (confirmations() >= k_) return false;
  return confirmers_.insert(from).second;
}

}  // namespace constellation::gossip
