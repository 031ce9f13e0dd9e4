// The seam between a consensus engine and the replicated state machine: the engine hands
// every committed command to apply() in log order on every replica, and moves whole states
// with snapshot()/restore(). Keeping it this narrow lets another engine drive the same FSM.
#pragma once

#include <string>
#include <string_view>

#include "shared/error.hpp"

namespace constellation::consensus {

/// A deterministic state machine fed committed commands.
/// Threading: the engine calls every method from its one thread. Failure: apply() never
/// fails as a call — a refused command is a result value, identical on every replica.
class Applier {
 public:
  virtual ~Applier() = default;
  /// Applies one committed command (padding included) and returns its result as text.
  virtual std::string apply(std::string_view command) = 0;
  /// The whole state as bytes.
  virtual std::string snapshot() const = 0;
  /// Replaces the whole state with a snapshot; on error the state is unchanged.
  virtual Status restore(std::string_view snapshot) = 0;
};

}  // namespace constellation::consensus
