// NodeAgent::propose: every proposal reaches raft through here. The leader proposes into its
// log; a follower forwards to the leader's node over node RPC ("raft.propose"); with no usable
// leader the proposal waits, re-decided on each raft status change (and every 200 ms, for a
// leader not yet seen in gossip), until raft_propose_timeout. Loop thread only.
#include "agent/cluster/cluster_service.hpp"
#include "agent/consensus/proposal_route.hpp"
#include "agent/consensus/raft_log.hpp"
#include "agent/consensus/views.hpp"
#include "agent/node_agent.hpp"
#include "shared/duration.hpp"
#include "shared/log.hpp"

namespace constellation::agent {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRecheck = std::chrono::milliseconds(200);
/// Time kept back when forwarding, so the receiver's own "no leader" answer arrives before
/// our call times out (which could only say "unknown outcome").
constexpr auto kForwardMargin = std::chrono::milliseconds(250);

std::chrono::milliseconds remaining(Clock::time_point deadline) {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

}  // namespace

void NodeAgent::propose(consensus::Command command, std::function<void(Result<std::string>)> done) {
  propose_within(PendingProposal{.command = std::move(command),
                                 .hops = 0,
                                 .deadline = Clock::now() + loaded_.config.raft_propose_timeout,
                                 .budget = loaded_.config.raft_propose_timeout,
                                 .done = std::move(done)});
}

void NodeAgent::propose_within(PendingProposal proposal) {
  if (!raft_)
    return proposal.done(fail(ErrorCode::unavailable, "raft is not running on this node"));
  std::vector<consensus::PeerId> peers;
  if (cluster_)
    for (const auto& member : cluster_->members())
      if (member.live && !member.self)
        peers.push_back({.node = member.name, .raft_id = consensus::raft_id_for(member.name)});
  const auto route = consensus::route_proposal(raft_->status(), peers, proposal.hops);
  using Action = consensus::ProposalRoute::Action;
  switch (route.action) {
    case Action::propose_here:
      raft_->propose(consensus::encode(proposal.command), std::move(proposal.done));
      return;
    case Action::refuse:
      // Only ever answered to a forwarding node, which re-decides (see below).
      return proposal.done(fail(
          ErrorCode::conflict, "node " + loaded_.config.node + " is not the raft leader any more"));
    case Action::wait:
      if (Clock::now() >= proposal.deadline) {
        const auto& status = raft_->status();
        // Raft may still name a leader that gossip no longer sees alive (a standby never
        // campaigns, so it keeps the last leader it heard of).
        const std::string why =
            status.leader_id == 0
                ? consensus::no_leader_reason(status)
                : "the last known leader (raft id " + std::to_string(status.leader_id) + " at " +
                      status.leader_address +
                      ") is not alive in gossip and no other leader has been elected";
        return proposal.done(
            fail(ErrorCode::unavailable,
                 "no raft leader after " + format_duration(proposal.budget) + ": " + why));
      }
      waiting_proposals_.push_back(std::move(proposal));
      arm_proposal_timer();
      return;
    case Action::forward:
      break;
  }
  const auto left = remaining(proposal.deadline);
  if (left <= kForwardMargin) {  // too late to hear back: do not send what we cannot confirm
    const std::string why = "the raft leader " + route.node + " became known too late";
    return proposal.done(
        fail(ErrorCode::unavailable,
             "no raft leader after " + format_duration(proposal.budget) + ": " + why));
  }
  nlohmann::json params{{"command", consensus::encode(proposal.command)},
                        {"hops", proposal.hops + 1},
                        {"timeout_ms", (left - kForwardMargin).count()}};
  const std::string leader = route.node;
  auto shared = std::make_shared<PendingProposal>(std::move(proposal));
  call_node(leader, "raft.propose", std::move(params), left,
            [this, shared, leader](Result<nlohmann::json> answer) {
              if (answer) {
                const auto& result = (*answer)["result"];
                return shared->done(result.is_string() ? result.get<std::string>() : result.dump());
              }
              if (answer.error().code == ErrorCode::conflict) {
                // The leader moved while we forwarded: decide again on the next raft status
                // change or re-check, not at once (a stale view would bounce right back).
                waiting_proposals_.push_back(std::move(*shared));
                return arm_proposal_timer();
              }
              if (answer.error().code == ErrorCode::timeout)
                return shared->done(fail(
                    ErrorCode::unavailable,
                    "unknown outcome: the raft leader " + leader +
                        " did not answer in time; the change may still be applied, so read the "
                        "state again before retrying (" +
                        answer.error().message + ")"));
              shared->done(std::unexpected(answer.error()));
            });
}

void NodeAgent::serve_raft_propose(const nlohmann::json& params,
                                   std::function<void(Result<nlohmann::json>)> reply) {
  auto command = consensus::decode(params.value("command", ""));
  if (!command) return reply(std::unexpected(command.error()));
  const int hops = params.value("hops", consensus::kMaxProposalHops);
  const auto timeout = std::min<std::chrono::milliseconds>(
      loaded_.config.raft_propose_timeout,
      std::chrono::milliseconds(params.value("timeout_ms", std::int64_t{0})));
  propose_within(PendingProposal{.command = std::move(*command),
                                 .hops = hops,
                                 .deadline = Clock::now() + timeout,
                                 .budget = timeout,
                                 .done = [reply = std::move(reply)](Result<std::string> result) {
                                   if (!result) return reply(std::unexpected(result.error()));
                                   reply(nlohmann::json{{"result", *result}});
                                 }});
}

void NodeAgent::retry_waiting_proposals() {
  auto waiting = std::move(waiting_proposals_);
  waiting_proposals_.clear();
  for (auto& proposal : waiting) propose_within(std::move(proposal));
}

void NodeAgent::arm_proposal_timer() {
  if (waiting_proposals_.empty()) return;
  if (!proposal_timer_) proposal_timer_ = std::make_unique<asio::steady_timer>(runtime_.loop());
  auto at = Clock::now() + kRecheck;
  for (const auto& proposal : waiting_proposals_) at = std::min(at, proposal.deadline);
  proposal_timer_->expires_at(at);
  proposal_timer_->async_wait([this](boost::system::error_code ec) {
    if (!ec) retry_waiting_proposals();
  });
}

void NodeAgent::fail_waiting_proposals(const std::string& why) {
  auto waiting = std::move(waiting_proposals_);
  waiting_proposals_.clear();
  if (proposal_timer_) proposal_timer_->cancel();
  for (auto& proposal : waiting) proposal.done(fail(ErrorCode::unavailable, why));
}

}  // namespace constellation::agent
