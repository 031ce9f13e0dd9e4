// The voter plan: which single raft configuration change the leader should make next so
// that the best-priority healthy nodes vote (3 or 5 of them) and the rest stand by, given
// gossip's view of the nodes and raft's configuration. Pure (no raft, clock or I/O), so
// every membership decision is unit-tested; node_voters.cpp executes one change at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/consensus/log.hpp"
#include "shared/error.hpp"

namespace constellation::consensus {

/// Default number of voters and the default grace before a dead voter is replaced.
/// 30 s: several times gossip's "dead" verdict (under 2 s with the fast profile, ~10-30 s on
/// LAN timing), so a restart or reboot of a voter (agent back in seconds) does not churn the
/// configuration, while a lost host is replaced well before a second failure is likely.
constexpr int kDefaultVoters = 3;
constexpr std::chrono::milliseconds kDefaultDeadVoterGrace{30'000};

/// A node as gossip sees it, with the raft id and address it advertises.
struct PlanNode {
  std::string name{};
  std::uint64_t raft_id{};
  std::string raft_address{};  ///< "host:port"; empty = the node does not run raft
  bool live{};                 ///< gossip alive or suspect
  std::int64_t down_for_ms{};  ///< not live: for how long (or since the leader noticed)
  int priority{};              ///< lower preferred; ties broken by name
};

/// What the leader knows when it plans.
struct PlanInput {
  std::vector<PlanNode> nodes{};  ///< every known node, including raft servers gossip lost
  std::vector<Member> servers{};  ///< raft configuration with roles and catch-up state
  std::uint64_t leader_id{};      ///< this leader's raft id
  int desired_voters = kDefaultVoters;
  std::chrono::milliseconds grace = kDefaultDeadVoterGrace;
};

enum class ChangeKind { none, add_standby, promote, demote, remove, transfer_leadership };
std::string_view change_kind_name(ChangeKind kind);

/// The next change and why, in words an operator reads in the journal.
struct VoterChange {
  ChangeKind kind = ChangeKind::none;
  std::uint64_t id{};
  std::string node{};     ///< name of the node concerned ("" if gossip does not know it)
  std::string address{};  ///< raft address (add_standby)
  std::string reason{};

  bool operator==(const VoterChange&) const = default;
};

/// The single next change, in this order: add a live raft node gossip knows but raft does
/// not (as a standby); make a spare a standby; promote the best live, caught-up standby while
/// fewer voters count than the target (min(desired, usable nodes), rounded down to odd);
/// remove a voter dead longer than the grace when the rest still make a quorum; remove
/// standbys/spares dead longer than the grace; demote the worst voter beyond `desired`; swap
/// in a standby of strictly better priority than the worst live voter; hand leadership to
/// the best live, caught-up voter. A voter within its grace still counts, so a restart does
/// not move anything; equal priorities never swap, so nothing flaps.
VoterChange next_voter_change(const PlanInput& input);

}  // namespace constellation::consensus
