// The voter plan's rules (voter_plan.hpp). Every rule returns at most one change; the first
// rule that has something to do wins, so the leader converges one committed step at a time.
#include "agent/consensus/voter_plan.hpp"

#include <algorithm>
#include <climits>
#include <optional>
#include <tuple>

namespace constellation::consensus {
namespace {

/// A raft server joined with what gossip says about its node.
struct Server {
  const Member* member;
  const PlanNode* node;  // nullptr: gossip does not know it
  bool leader;

  bool live() const { return leader || (node != nullptr && node->live); }
  std::int64_t down_for_ms() const { return node ? node->down_for_ms : 0; }
  int priority() const { return node ? node->priority : INT_MAX; }
  std::string name() const {
    return node && !node->name.empty() ? node->name : "raft id " + std::to_string(member->id);
  }
  bool voter() const { return member->role == ServerRole::voter; }
};

/// Lower is better: priority, then name.
bool better(const Server& a, const Server& b) {
  return std::make_tuple(a.priority(), a.name()) < std::make_tuple(b.priority(), b.name());
}

std::string seconds(std::int64_t ms) {
  return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + " s";
}

std::string describe(const Server& s) {
  return s.name() + " (priority " + (s.node ? std::to_string(s.priority()) : "unknown") + ")";
}

class Planner {
 public:
  explicit Planner(const PlanInput& in) : in_(in) {
    for (const Member& m : in.servers) {
      const PlanNode* node = nullptr;
      for (const PlanNode& n : in.nodes)
        if (n.raft_id == m.id) node = &n;
      servers_.push_back(Server{&m, node, m.id == in.leader_id});
    }
  }

  VoterChange plan() const {
    for (auto rule :
         {&Planner::add_new_nodes, &Planner::promote_for_quorum, &Planner::remove_dead_voter,
          &Planner::remove_dead_non_voter, &Planner::demote_extra_voter,
          &Planner::swap_in_better_standby, &Planner::transfer_to_best})
      if (auto change = (this->*rule)()) return *change;
    return {};
  }

 private:
  bool expired(const Server& s) const { return !s.live() && s.down_for_ms() >= in_.grace.count(); }
  /// Voters that count toward the target: live, or dead for less than the grace.
  int counted_voters() const {
    return static_cast<int>(std::count_if(servers_.begin(), servers_.end(), [&](const Server& s) {
      return s.voter() && !expired(s);
    }));
  }
  int voters() const {
    return static_cast<int>(
        std::count_if(servers_.begin(), servers_.end(), [](const Server& s) { return s.voter(); }));
  }
  int live_voters() const {
    return static_cast<int>(std::count_if(servers_.begin(), servers_.end(),
                                          [](const Server& s) { return s.voter() && s.live(); }));
  }
  bool voter_within_grace() const {
    return std::any_of(servers_.begin(), servers_.end(),
                       [&](const Server& s) { return s.voter() && !s.live() && !expired(s); });
  }
  bool in_config(std::uint64_t id) const {
    return std::any_of(servers_.begin(), servers_.end(),
                       [&](const Server& s) { return s.member->id == id; });
  }
  /// min(desired, nodes that could vote now), rounded down to an odd number, at least 1.
  int target() const {
    int usable = 0;
    for (const PlanNode& n : in_.nodes)
      if (n.live && !n.raft_address.empty()) ++usable;
    for (const Server& s : servers_)
      if (s.voter() && !s.live() && !expired(s)) ++usable;  // a voter restarting still counts
    for (const Server& s : servers_)
      if (s.leader && (s.node == nullptr || !s.node->live)) ++usable;  // leader missing from gossip
    int t = std::min(in_.desired_voters, usable);
    if (t % 2 == 0) --t;
    return std::max(t, 1);
  }
  static bool quorum_after_losing_one_voter(int voters_after, int live_after) {
    return voters_after >= 1 && live_after >= voters_after / 2 + 1;
  }
  /// Best live standby, caught-up ones first.
  std::optional<Server> best_standby() const {
    std::optional<Server> best;
    for (const Server& s : servers_) {
      if (s.member->role != ServerRole::standby || !s.live()) continue;
      if (!best || std::make_tuple(!s.member->caught_up, s.priority(), s.name()) <
                       std::make_tuple(!best->member->caught_up, best->priority(), best->name()))
        best = s;
    }
    return best;
  }

  std::optional<VoterChange> add_new_nodes() const {
    const PlanNode* best = nullptr;
    for (const PlanNode& n : in_.nodes) {
      if (!n.live || n.raft_address.empty() || n.raft_id == 0 || in_config(n.raft_id)) continue;
      if (!best ||
          std::make_tuple(n.priority, n.name) < std::make_tuple(best->priority, best->name))
        best = &n;
    }
    if (best)
      return VoterChange{.kind = ChangeKind::add_standby,
                         .id = best->raft_id,
                         .node = best->name,
                         .address = best->raft_address,
                         .reason = best->name + " (priority " + std::to_string(best->priority) +
                                   ") runs raft at " + best->raft_address +
                                   " and is not a member yet: adding it as a standby"};
    for (const Server& s : servers_)
      if (s.member->role == ServerRole::spare && s.live())
        return VoterChange{
            .kind = ChangeKind::add_standby,
            .id = s.member->id,
            .node = s.name(),
            .address = s.member->address,
            .reason = s.name() + " is a spare that gets no log: making it a standby"};
    return std::nullopt;
  }

  std::optional<VoterChange> promote_for_quorum() const {
    const int counted = counted_voters();
    const int want = target();
    if (counted >= want) return std::nullopt;
    auto s = best_standby();
    if (!s) return std::nullopt;
    return VoterChange{.kind = ChangeKind::promote,
                       .id = s->member->id,
                       .node = s->name(),
                       .reason = std::to_string(counted) + " voter(s) count toward a target of " +
                                 std::to_string(want) + ": promoting the best standby " +
                                 describe(*s)};
  }

  std::optional<VoterChange> remove_dead_voter() const {
    std::optional<Server> worst;
    for (const Server& s : servers_)
      if (s.voter() && expired(s) && (!worst || better(*worst, s))) worst = s;
    if (!worst) return std::nullopt;
    // The dead voter is not live, so the live voters are unchanged by its removal.
    if (!quorum_after_losing_one_voter(voters() - 1, live_voters())) return std::nullopt;
    return VoterChange{.kind = ChangeKind::remove,
                       .id = worst->member->id,
                       .node = worst->name(),
                       .reason = "voter " + worst->name() + " has been down for " +
                                 seconds(worst->down_for_ms()) + " (grace " +
                                 seconds(in_.grace.count()) + "): removing it"};
  }

  std::optional<VoterChange> remove_dead_non_voter() const {
    for (const Server& s : servers_)
      if (!s.voter() && expired(s))
        return VoterChange{.kind = ChangeKind::remove,
                           .id = s.member->id,
                           .node = s.name(),
                           .reason = std::string(server_role_name(s.member->role)) + " " +
                                     s.name() + " has been down for " + seconds(s.down_for_ms()) +
                                     " (grace " + seconds(in_.grace.count()) + "): removing it"};
    return std::nullopt;
  }

  /// The worst live voter other than the leader, if any.
  std::optional<Server> worst_live_voter(bool allow_leader) const {
    std::optional<Server> worst;
    for (const Server& s : servers_)
      if (s.voter() && s.live() && (allow_leader || !s.leader) && (!worst || better(*worst, s)))
        worst = s;
    return worst;
  }

  std::optional<VoterChange> demote_extra_voter() const {
    if (voters() <= in_.desired_voters) return std::nullopt;
    auto worst = worst_live_voter(false);
    if (!worst) return std::nullopt;
    if (!quorum_after_losing_one_voter(voters() - 1, live_voters() - 1)) return std::nullopt;
    return VoterChange{
        .kind = ChangeKind::demote,
        .id = worst->member->id,
        .node = worst->name(),
        .reason = std::to_string(voters()) + " voters, " + std::to_string(in_.desired_voters) +
                  " wanted: demoting the worst voter " + describe(*worst) + " to standby"};
  }

  std::optional<VoterChange> swap_in_better_standby() const {
    if (voters() > in_.desired_voters || counted_voters() < target() || voter_within_grace())
      return std::nullopt;
    auto standby = best_standby();
    auto worst = worst_live_voter(true);
    if (!standby || !worst || !standby->member->caught_up) return std::nullopt;
    if (standby->priority() >= worst->priority()) return std::nullopt;  // strictly better only
    if (worst->leader) return std::nullopt;  // leadership moves first (transfer_to_best)
    return VoterChange{.kind = ChangeKind::promote,
                       .id = standby->member->id,
                       .node = standby->name(),
                       .reason = "standby " + describe(*standby) +
                                 " has a better priority than voter " + describe(*worst) +
                                 ": promoting it (the worse voter is demoted next)"};
  }

  std::optional<VoterChange> transfer_to_best() const {
    std::optional<Server> best, leader;
    for (const Server& s : servers_) {
      if (s.leader) leader = s;
      if (s.voter() && s.live() && s.member->caught_up && (!best || better(s, *best))) best = s;
    }
    if (!best || !leader || best->leader) return std::nullopt;
    if (!better(*best, *leader)) return std::nullopt;
    return VoterChange{.kind = ChangeKind::transfer_leadership,
                       .id = best->member->id,
                       .node = best->name(),
                       .reason = "voter " + describe(*best) + " is preferred over the leader " +
                                 describe(*leader) + ": transferring leadership"};
  }

  const PlanInput& in_;
  std::vector<Server> servers_;
};

}  // namespace

std::string_view change_kind_name(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::none:
      return "none";
    case ChangeKind::add_standby:
      return "add_standby";
    case ChangeKind::promote:
      return "promote";
    case ChangeKind::demote:
      return "demote";
    case ChangeKind::remove:
      return "remove";
    case ChangeKind::transfer_leadership:
      return "transfer_leadership";
  }
  return "none";
}

VoterChange next_voter_change(const PlanInput& input) {
  return Planner(input).plan();
}

}  // namespace constellation::consensus
