// Journal events for applied consensus commands: lease.granted, lease.taken_over,
// lease.released, lease.expired, node.cordoned, node.uncordoned, cluster.config_changed.
// Every replica derives the same event from the same committed command, so every node's
// journal (and /ws) shows cluster changes, not only the proposer's.
//
// Pure. Renewals, refused commands and duplicate replays produce no event.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/consensus/commands.hpp"
#include "agent/consensus/state_machine.hpp"
#include "shared/event.hpp"

namespace constellation::consensus {

/// The event for `command` given its result on this replica, or nullopt. The event's detail
/// carries "command_id" so a restarted node can tell a re-applied entry from a new one; node
/// and time are left for the journal to fill in.
std::optional<Event> applied_event(const Command& command, const ApplyResult& result);

/// The kinds applied_event() produces, for documentation and journal look-ups.
inline constexpr const char* kAppliedEventKinds[] = {
    "lease.granted", "lease.taken_over", "lease.released",         "lease.expired",
    "node.cordoned", "node.uncordoned",  "cluster.config_changed",
};

/// Feeds applied commands to the journal exactly once per node. After a restart the engine
/// re-applies the log entries behind its last snapshot; their events are already in this
/// node's journal, so the ids found there (seed()) are skipped. Until seeded, events wait in
/// order. Ownership: owns the waiting events; `publish` must outlive it. Threading: one
/// thread (the agent's loop). Failure: an undecodable command or result is skipped.
class AppliedEventJournal {
 public:
  using Publish = std::function<void(Event event)>;
  explicit AppliedEventJournal(Publish publish) : publish_(std::move(publish)) {}

  /// Command ids this node journaled before (detail.command_id of earlier events); releases
  /// the waiting events that are not among them.
  void seed(std::set<std::string> journaled_ids);
  /// One command applied on this replica (the engine's bytes and result text).
  void applied(std::string_view command, std::string_view result);

 private:
  void emit(Event event);

  Publish publish_;
  std::optional<std::set<std::string>> journaled_;  // nullopt until seeded
  std::vector<Event> waiting_;
};

/// The command id an applied event carries, "" for other events.
std::string applied_command_id(const Event& event);

}  // namespace constellation::consensus
