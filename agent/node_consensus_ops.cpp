// NodeAgent's operator surface over consensus, for the API: the raft leader by node name,
// one lease in detail, leadership transfer, and cordon/uncordon proposed through propose().
// Requests are checked against this node's replica first (unknown node, double cordon) so
// the operator gets a precise answer; the FSM still decides, and its refusal is passed on.
// Loop thread only.
#include <algorithm>

#include "agent/api/api_context.hpp"
#include "agent/cluster/cluster_service.hpp"
#include "agent/consensus/operations.hpp"
#include "agent/consensus/raft_log.hpp"
#include "agent/consensus/state_machine.hpp"
#include "agent/consensus/views.hpp"
#include "agent/node_agent.hpp"
#include "shared/strings.hpp"

namespace constellation::agent {
namespace {

using JsonDone = api::ApiContext::JsonDone;

Error raft_starting() {
  return Error{ErrorCode::unavailable, "raft is starting on this node; retry in a moment"};
}

/// Unique per process start (the clock id names the boot) and per request.
std::string next_command_id(const std::string& clock_id) {
  static std::uint64_t sequence = 0;
  return clock_id + "/op/" + std::to_string(++sequence);
}

/// The FSM's result of a committed proposal, or the error that kept it from applying.
Result<consensus::Applied> applied_result(const Result<std::string>& proposed) {
  if (!proposed) return std::unexpected(proposed.error());
  return consensus::decode_result(*proposed);
}

}  // namespace

std::vector<std::string> NodeAgent::member_names() const {
  std::vector<std::string> names;
  for (const consensus::Candidate& c : consensus_candidates()) names.push_back(c.node);
  return names;
}

std::map<std::uint64_t, std::string> NodeAgent::raft_node_names() const {
  std::map<std::uint64_t, std::string> names;
  if (cluster_)
    for (const cluster::MemberInfo& m : cluster_->members())
      names[consensus::raft_id_for(m.name)] = m.name;
  return names;
}

void NodeAgent::wire_consensus_ops(api::ApiContext& context) {
  // raft status names the leader and members by node, as gossip knows them.
  context.raft_status = [this, base = context.raft_status]() -> Result<nlohmann::json> {
    auto status = base();
    if (status) consensus::name_raft_nodes(*status, raft_node_names());
    return status;
  };
  context.raft_leader = [this]() -> Result<nlohmann::json> {
    if (!raft_) return std::unexpected(raft_starting());
    const auto& status = raft_->status();
    auto names = raft_node_names();
    auto it = names.find(status.leader_id);
    return consensus::raft_leader_json(status, it == names.end() ? "" : it->second);
  };
  context.lease = [this](const std::string& name) -> Result<nlohmann::json> {
    if (!raft_ || !raft_mirror_) return std::unexpected(raft_starting());
    consensus::LeaseViewContext view{
        .clock_id = clock_id_,
        .now_ms = monotonic_ms(),
        .candidates = consensus_candidates(),
        .specs = lease_specs(),
        .acting = lease_acting_json(name),
        .no_leader_reason = consensus::no_leader_reason(raft_->status())};
    return consensus::lease_json(*raft_mirror_, name, view);
  };
  context.transfer_leadership = [this](std::string node, JsonDone done) {
    if (!raft_) return done(std::unexpected(raft_starting()));
    std::optional<std::string> target;
    if (!node.empty()) {
      auto names = member_names();
      if (std::find(names.begin(), names.end(), node) == names.end())
        return done(fail(ErrorCode::not_found, "no node named '" + node +
                                                   "' in the cluster; known nodes: " +
                                                   (names.empty() ? "none" : join(names, ", "))));
      target = node;
    }
    transfer_leadership(target, [done, node](Result<nlohmann::json> moved) {
      if (!moved) return done(std::unexpected(moved.error()));
      nlohmann::json reply = std::move(*moved);
      reply["transferred"] = true;
      reply["requested"] = node.empty() ? nlohmann::json(nullptr) : nlohmann::json(node);
      done(std::move(reply));
    });
  };
  context.cordon = [this](std::string node, std::string reason, std::string actor, JsonDone done) {
    if (!raft_mirror_) return done(std::unexpected(raft_starting()));
    if (auto ok = consensus::check_cordon(*raft_mirror_, member_names(), node, reason); !ok)
      return done(std::unexpected(ok.error()));
    consensus::CordonNode command{.id = next_command_id(clock_id_),
                                  .node = node,
                                  .reason = reason,
                                  .actor = actor,
                                  .at_unix_ms = now_ms()};
    propose(command, [this, command, done](Result<std::string> proposed) {
      auto applied = applied_result(proposed);
      if (!applied) return done(std::unexpected(applied.error()));
      // Read-your-writes: the replica copy refreshes asynchronously; apply the committed
      // command to it now (a later refresh replaces it with the same state).
      if (raft_mirror_) (void)raft_mirror_->apply_command(command);
      nlohmann::json cordon{{"node", command.node},
                            {"reason", command.reason},
                            {"actor", command.actor},
                            {"at_unix_ms", command.at_unix_ms}};
      nlohmann::json reply;
      reply["cordoned"] = std::move(cordon);
      reply["summary"] = applied->summary;
      done(std::move(reply));
    });
  };
  context.uncordon = [this](std::string node, std::string actor, JsonDone done) {
    if (!raft_mirror_) return done(std::unexpected(raft_starting()));
    if (auto ok = consensus::check_uncordon(*raft_mirror_, member_names(), node); !ok)
      return done(std::unexpected(ok.error()));
    consensus::UncordonNode command{
        .id = next_command_id(clock_id_), .node = node, .actor = actor, .at_unix_ms = now_ms()};
    propose(command, [this, command, done](Result<std::string> proposed) {
      auto applied = applied_result(proposed);
      if (!applied) return done(std::unexpected(applied.error()));
      if (raft_mirror_) (void)raft_mirror_->apply_command(command);
      nlohmann::json reply;
      reply["uncordoned"] = nlohmann::json{
          {"node", command.node}, {"actor", command.actor}, {"at_unix_ms", command.at_unix_ms}};
      reply["summary"] = applied->summary;
      done(std::move(reply));
    });
  };
}

}  // namespace constellation::agent
