// VoterManager (node_voters.hpp): feeds the voter plan from gossip and raft on the leader,
// runs the change it picks through RaftLog and journals it once committed
// (raft.standby_added, raft.promoted, raft.demoted, raft.removed, raft.leadership_transferred).
#include "agent/node_voters.hpp"

#include <algorithm>
#include <climits>
#include <memory>
#include <tuple>

#include "shared/log.hpp"

namespace constellation::agent {
namespace {

using namespace std::chrono_literals;

/// After a failed change: wait this long before planning again, so a change raft keeps
/// refusing does not spin.
constexpr auto kRetryBackoff = 5s;
/// After a committed change: plan again once raft has published the new configuration.
constexpr auto kSettle = 250ms;

std::string_view event_kind(consensus::ChangeKind kind) {
  switch (kind) {
    case consensus::ChangeKind::add_standby:
      return "raft.standby_added";
    case consensus::ChangeKind::promote:
      return "raft.promoted";
    case consensus::ChangeKind::demote:
      return "raft.demoted";
    case consensus::ChangeKind::remove:
      return "raft.removed";
    case consensus::ChangeKind::transfer_leadership:
      return "raft.leadership_transferred";
    case consensus::ChangeKind::none:
      break;
  }
  return "";
}

std::int64_t ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t)
      .count();
}

}  // namespace

VoterManager::VoterManager(asio::io_context& io, consensus::RaftLog& raft, Members members,
                           Publish publish, Options options)
    : io_(io),
      raft_(raft),
      members_(std::move(members)),
      publish_(std::move(publish)),
      options_(options),
      timer_(io) {}

void VoterManager::start() {
  running_ = true;
  schedule(options_.period);
}

void VoterManager::stop() {
  running_ = false;
  *alive_ = false;
  timer_.cancel();
}

void VoterManager::nudge() {
  if (!running_) return;
  std::weak_ptr<bool> alive = alive_;
  asio::post(io_, [this, alive] {
    if (auto a = alive.lock(); a && *a) tick();
  });
}

void VoterManager::schedule(std::chrono::milliseconds after) {
  if (!running_) return;
  timer_.expires_after(after);
  std::weak_ptr<bool> alive = alive_;
  timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    auto a = alive.lock();
    if (ec || !a || !*a) return;
    tick();
    schedule(options_.period);
  });
}

consensus::PlanInput VoterManager::plan_input() {
  const consensus::LogStatus& s = raft_.status();
  consensus::PlanInput in{.servers = s.members,
                          .leader_id = s.id,
                          .desired_voters = options_.desired_voters,
                          .grace = options_.grace};
  for (const cluster::MemberInfo& m : members_()) {
    if (!m.meta.is_constellation()) continue;
    const std::uint64_t id = consensus::raft_id_for(m.name);
    names_[id] = m.name;
    in.nodes.push_back(consensus::PlanNode{.name = m.name,
                                           .raft_id = id,
                                           .raft_address = m.meta.raft_address,
                                           .live = m.live || m.self,
                                           .down_for_ms = m.live ? 0 : m.down_for_ms,
                                           .priority = m.meta.priority});
  }
  // Servers gossip has no record of (reaped after death, or never seen by this leader) are
  // down since this leader first noticed; the clock restarts on a new leader, which only
  // delays a removal.
  std::map<std::uint64_t, std::chrono::steady_clock::time_point> still_missing;
  for (const consensus::Member& m : s.members) {
    const bool known = std::any_of(in.nodes.begin(), in.nodes.end(),
                                   [&](const consensus::PlanNode& n) { return n.raft_id == m.id; });
    if (known || m.id == s.id) continue;
    auto it = missing_since_.find(m.id);
    const auto since = it == missing_since_.end() ? std::chrono::steady_clock::now() : it->second;
    still_missing[m.id] = since;
    in.nodes.push_back(consensus::PlanNode{.name = name_of(m.id),
                                           .raft_id = m.id,
                                           .live = false,
                                           .down_for_ms = ms_since(since),
                                           .priority = INT_MAX});
  }
  missing_since_ = std::move(still_missing);
  return in;
}

std::string VoterManager::name_of(std::uint64_t id) const {
  auto it = names_.find(id);
  return it == names_.end() ? "" : it->second;
}

void VoterManager::tick() {
  if (!running_ || busy_) return;
  const consensus::LogStatus& s = raft_.status();
  if (s.role != consensus::Role::leader || !s.ready) {
    missing_since_.clear();  // another leader counts from its own observations
    return;
  }
  if (std::chrono::steady_clock::now() < retry_after_) return;
  consensus::VoterChange change = consensus::next_voter_change(plan_input());
  if (change.kind == consensus::ChangeKind::none) return;
  execute(change);
}

void VoterManager::execute(const consensus::VoterChange& change) {
  busy_ = true;
  log::get("raft")->info("voters: {} {} (raft id {}): {}", consensus::change_kind_name(change.kind),
                         change.node, change.id, change.reason);
  std::weak_ptr<bool> alive = alive_;
  auto done = [this, alive, change](Status status) {
    if (auto a = alive.lock(); a && *a) finished(change, status);
  };
  const bool in_config = std::any_of(raft_.status().members.begin(), raft_.status().members.end(),
                                     [&](const consensus::Member& m) { return m.id == change.id; });
  switch (change.kind) {
    case consensus::ChangeKind::add_standby:
      if (in_config)
        raft_.assign(change.id, consensus::ServerRole::standby, std::move(done));
      else
        raft_.add_standby(change.id, change.address, std::move(done));
      break;
    case consensus::ChangeKind::promote:
      raft_.assign(change.id, consensus::ServerRole::voter, std::move(done));
      break;
    case consensus::ChangeKind::demote:
      raft_.assign(change.id, consensus::ServerRole::standby, std::move(done));
      break;
    case consensus::ChangeKind::remove:
      raft_.remove(change.id, std::move(done));
      break;
    case consensus::ChangeKind::transfer_leadership:
      raft_.transfer_leadership(change.id, std::move(done));
      break;
    case consensus::ChangeKind::none:
      busy_ = false;
      break;
  }
}

void VoterManager::finished(const consensus::VoterChange& change, const Status& status) {
  busy_ = false;
  if (!status) {
    log::get("raft")->warn("voters: {} {} failed: {}; retrying in {} s",
                           consensus::change_kind_name(change.kind), change.node,
                           status.error().message, kRetryBackoff.count());
    retry_after_ = std::chrono::steady_clock::now() + kRetryBackoff;
    return;
  }
  publish_(Event{.kind = std::string(event_kind(change.kind)),
                 .subject = change.node,
                 .detail = {{"node", change.node},
                            {"raft_id", change.id},
                            {"address", change.address},
                            {"reason", change.reason}},
                 .actor = "raft"});
  schedule(kSettle);
}

void VoterManager::transfer_leadership(std::optional<std::string> node, std::string actor,
                                       std::function<void(Result<nlohmann::json>)> done) {
  const consensus::LogStatus& s = raft_.status();
  if (s.role != consensus::Role::leader) {
    done(fail(ErrorCode::unavailable,
              s.leader_id == 0
                  ? "no raft leader is known, so leadership cannot be transferred "
                    "now; retry once `raft status` shows a leader"
                  : "this node is not the raft leader; ask the leader at " + s.leader_address +
                        " (raft id " + std::to_string(s.leader_id) + ")"));
    return;
  }
  consensus::PlanInput in = plan_input();
  auto node_of = [&](std::uint64_t id) -> const consensus::PlanNode* {
    for (const auto& n : in.nodes)
      if (n.raft_id == id) return &n;
    return nullptr;
  };
  const consensus::Member* target = nullptr;
  if (node) {
    const std::uint64_t id = consensus::raft_id_for(*node);
    for (const consensus::Member& m : s.members)
      if (m.id == id) target = &m;
    if (!target) {
      std::vector<std::string> names;
      for (const consensus::Member& m : s.members) {
        auto n = name_of(m.id);
        names.push_back(n.empty() ? "raft id " + std::to_string(m.id) : n);
      }
      done(fail(ErrorCode::not_found,
                "no raft member named '" + *node + "'; members: " + nlohmann::json(names).dump()));
      return;
    }
    if (target->role != consensus::ServerRole::voter) {
      done(fail(ErrorCode::invalid_argument,
                "'" + *node + "' is a " + std::string(consensus::server_role_name(target->role)) +
                    ", not a voter: only voters can lead (the leader promotes the best "
                    "standbys; see `raft status`)"));
      return;
    }
    if (target->id == s.id) {
      done(nlohmann::json{{"from", *node}, {"to", *node}, {"to_id", s.id}, {"changed", false}});
      return;
    }
  } else {
    for (const consensus::Member& m : s.members) {
      const auto* n = node_of(m.id);
      if (m.id == s.id || m.role != consensus::ServerRole::voter || !n || !n->live || !m.caught_up)
        continue;
      const auto* best = target ? node_of(target->id) : nullptr;
      if (!target ||
          std::make_tuple(n->priority, n->name) < std::make_tuple(best->priority, best->name))
        target = &m;
    }
    if (!target) {
      done(fail(ErrorCode::conflict,
                "no other live, caught-up voter can take leadership; see `raft status`"));
      return;
    }
  }
  const std::uint64_t to = target->id;
  const std::string from_name = name_of(s.id);
  const std::string to_name = node ? *node : name_of(to);
  std::weak_ptr<bool> alive = alive_;
  raft_.transfer_leadership(to, [this, alive, to, from_name, to_name, actor = std::move(actor),
                                 done = std::move(done)](Status status) {
    if (!status) return done(std::unexpected(status.error()));
    if (auto a = alive.lock(); a && *a)
      publish_(Event{.kind = "raft.leadership_transferred",
                     .subject = to_name,
                     .detail = {{"from", from_name}, {"to", to_name}, {"raft_id", to}},
                     .actor = actor});
    done(nlohmann::json{{"from", from_name}, {"to", to_name}, {"to_id", to}, {"changed", true}});
  });
}

}  // namespace constellation::agent
