// NodeAgent's journal of applied consensus changes: every replica turns each applied FSM
// command (grants, hand-overs, releases, expiries, cordons, config) into an event published
// through NodeAgent::publish, so it lands in this node's journal and on /ws. This file owns
// RaftLog::on_applied (a single observer). Loop thread only.
#include <set>

#include "agent/consensus/applied_events.hpp"
#include "agent/consensus/raft_log.hpp"
#include "agent/journal/journal_service.hpp"
#include "agent/node_agent.hpp"
#include "shared/log.hpp"

namespace constellation::agent {
namespace {

/// Entries re-applied after a restart are at most one snapshot interval old; this many
/// recent events of each kind family cover them.
constexpr int kSeedLookback = 4096;

/// Collects the command ids this node journaled before and seeds `target` with them.
/// Raw pointers (both owned by NodeAgent, which outlives the loop) rather than captures:
/// g++ 12 with Boost 1.74 mishandles coroutine lambdas capturing objects with destructors.
asio::awaitable<void> seed_from_journal(journal::JournalService* journal,
                                        consensus::AppliedEventJournal* target) {
  std::set<std::string> ids;
  for (const char* family : {"lease.", "node.", "cluster."}) {
    EventQuery query;
    query.kind = family;
    query.limit = kSeedLookback;
    auto events = co_await journal->query(query);
    if (!events) {
      log::get("raft")->warn("applied-change events may repeat after this restart: {}",
                             events.error().message);
      continue;
    }
    for (const Event& event : *events)
      if (auto id = consensus::applied_command_id(event); !id.empty()) ids.insert(std::move(id));
  }
  target->seed(std::move(ids));
}

}  // namespace

void NodeAgent::start_consensus_events() {
  applied_events_ = std::make_unique<consensus::AppliedEventJournal>(
      [this](Event event) { publish(std::move(event)); });
  raft_->on_applied([this](const std::string& command, const std::string& result) {
    applied_events_->applied(command, result);
  });
  asio::co_spawn(runtime_.loop(), seed_from_journal(journal_.get(), applied_events_.get()),
                 asio::detached);
}

}  // namespace constellation::agent
