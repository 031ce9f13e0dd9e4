// Plugs an Applier into libraft as its `struct raft_fsm`, and builds the padded payloads
// libraft needs: Debian's 0.15 silently corrupts its on-disk log for any entry whose length
// is not a multiple of 8 (contracts/raft.md §6.1), so every payload goes through pad().
//
// Ownership: borrows the Applier, which must outlive the bridge. Threading: used only on
// the thread that runs the raft instance (a libuv loop, or a raft_fixture test). Failure:
// an allocation failure is reported as a raft error code; apply() itself cannot fail.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "agent/consensus/raft_api.hpp"

#include "agent/consensus/applier.hpp"

namespace constellation::consensus {

/// Results kept for the leader's apply callbacks to pick up (followers never pick theirs).
inline constexpr std::size_t kKeptResults = 256;

/// A raft_malloc'd copy of `bytes`, NUL-padded to a multiple of 8. base is null when out of
/// memory. Ownership passes to raft_apply on success; otherwise raft_free(base).
raft_buffer pad(std::string_view bytes);

class FsmBridge {
 public:
  /// Called after every apply on this replica with the command (padding stripped) and its
  /// result text.
  using AppliedHook = std::function<void(std::string_view command, const std::string& result)>;

  explicit FsmBridge(Applier& applier);
  FsmBridge(const FsmBridge&) = delete;
  FsmBridge& operator=(const FsmBridge&) = delete;

  /// The raft_fsm to hand to raft_init / raft_fixture_grow; valid while the bridge lives.
  raft_fsm* fsm() { return &fsm_; }
  void set_applied_hook(AppliedHook hook) { hook_ = std::move(hook); }
  /// The result text for an apply callback's `result` pointer; nullopt if it is unknown
  /// (too old, or not produced by this bridge).
  std::optional<std::string> take_result(void* result);
  /// Commands applied so far on this replica.
  std::uint64_t applied() const { return seq_; }

 private:
  static int apply(raft_fsm* fsm, const raft_buffer* buf, void** result);
  static int snapshot(raft_fsm* fsm, raft_buffer* bufs[], unsigned* n_bufs);
  static int restore(raft_fsm* fsm, raft_buffer* buf);

  Applier& applier_;
  raft_fsm fsm_{};
  AppliedHook hook_;
  std::uint64_t seq_ = 0;
  std::deque<std::pair<std::uint64_t, std::string>> results_;
};

}  // namespace constellation::consensus
