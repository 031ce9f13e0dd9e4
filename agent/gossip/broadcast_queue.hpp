// The transmit-limited broadcast queue (memberlist TransmitLimitedQueue): encoded messages
// waiting to be piggybacked or gossiped, fewest transmissions first, each dropped after the
// retransmit limit, and a newer message about the same key replacing the older one.
//
// Ownership: owns the queued bytes. Threading: none (the core's loop). Never fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "agent/gossip/messages.hpp"

namespace constellation::gossip {

/// Queue of encoded broadcasts keyed for invalidation.
class BroadcastQueue {
 public:
  /// A queued message offered for sending.
  struct Candidate {
    std::uint64_t id;
    const Bytes* message;  ///< valid until the queue is next modified
  };

  /// Queues `message`; an empty key is never invalidated, otherwise it replaces any queued
  /// message with the same key. Returns an id to follow it (contains()).
  std::uint64_t push(std::string key, Bytes message);
  /// Up to `max_count` messages, fewest transmissions first, newest first among equals.
  std::vector<Candidate> candidates(std::size_t max_count) const;
  /// Counts one transmission for each id; drops those reaching `transmit_limit`.
  void mark_sent(std::span<const std::uint64_t> ids, int transmit_limit);
  /// Whether a message is still queued (not yet sent `transmit_limit` times nor replaced).
  bool contains(std::uint64_t id) const;
  /// Messages queued.
  std::size_t size() const { return items_.size(); }
  /// Largest transmission count of a queued message (for tests of the limit).
  int max_transmits() const;

 private:
  struct Item {
    std::uint64_t id;
    std::string key;
    Bytes message;
    int transmits = 0;
  };
  std::vector<Item> items_;
  std::uint64_t next_id_ = 1;
};

}  // namespace constellation::gossip
