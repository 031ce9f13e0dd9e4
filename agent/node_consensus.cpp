// NodeAgent's consensus glue, apart from node_agent.cpp so the composition file stays short:
// starts RaftLog (when raft_enabled) under DATA_DIR/raft, keeps a loop-thread copy of the
// replicated state for the API, and journals leader changes. Loop thread only.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>

#include "agent/api/api_context.hpp"
#include "agent/cluster/cluster_service.hpp"
#include "agent/consensus/lease_config.hpp"
#include "agent/consensus/raft_log.hpp"
#include "agent/consensus/state_machine.hpp"
#include "agent/consensus/views.hpp"
#include "agent/node_agent.hpp"
#include "agent/node_voters.hpp"
#include "shared/log.hpp"

namespace constellation::agent {
namespace {

bool wildcard(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::";
}

}  // namespace

std::int64_t NodeAgent::monotonic_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::vector<consensus::Candidate> NodeAgent::consensus_candidates() const {
  std::vector<consensus::Candidate> out;
  if (!cluster_) return out;
  for (const cluster::MemberInfo& m : cluster_->members()) {
    if (!m.meta.is_constellation()) continue;
    out.push_back(consensus::Candidate{
        .node = m.name,
        .healthy = m.live,
        .cordoned = raft_mirror_ && raft_mirror_->cordoned(m.name),
        .priority = m.meta.priority,
        .capabilities = {m.meta.capabilities.begin(), m.meta.capabilities.end()}});
  }
  return out;
}

Status NodeAgent::start_consensus() {
  const auto& config = loaded_.config;
  if (!config.raft_enabled) return {};
  clock_id_ = config.node + "/" + std::to_string(std::random_device{}());
  const std::string address = raft_advertised_address();
  if (address.empty())
    return fail(ErrorCode::bad_config,
                "raft has no address to advertise: set raft to HOST:PORT (an IP peers reach)");
  consensus::RaftOptions options{.id = consensus::raft_id_for(config.node),
                                 .address = address,
                                 .bind_address = config.raft.to_string(),
                                 .dir = std::filesystem::path(config.data_dir) / "raft"};
  if (config.bootstrap)
    options.bootstrap.push_back(
        consensus::Member{.id = options.id, .address = options.address, .voter = true});
  auto initial = consensus::parse_initial_voters(config.raft_initial_voters, config.node);
  if (!initial) return std::unexpected(initial.error());
  for (const consensus::InitialVoter& v : *initial)
    options.bootstrap.push_back(consensus::Member{
        .id = consensus::raft_id_for(v.node), .address = v.address, .voter = true});
  raft_fsm_ = std::make_unique<consensus::StateMachine>();
  raft_mirror_ = std::make_unique<consensus::StateMachine>();
  auto log = consensus::RaftLog::start(runtime_.loop(), options, *raft_fsm_);
  if (!log) return std::unexpected(log.error());
  raft_ = std::move(*log);
  start_consensus_events();
  raft_->on_status([this, previous = std::uint64_t{0}](const consensus::LogStatus& s) mutable {
    if (s.leader_id != previous) {
      previous = s.leader_id;
      publish(Event{.kind = "raft.leader_changed",
                    .detail = {{"leader_id", s.leader_id},
                               {"leader_address", s.leader_address},
                               {"term", s.term},
                               {"role", consensus::role_name(s.role)}},
                    .actor = "raft"});
    }
    if (s.last_applied != mirrored_index_) refresh_consensus_mirror();
    if (!waiting_proposals_.empty()) retry_waiting_proposals();
  });
  voters_ = std::make_unique<VoterManager>(
      runtime_.loop(), *raft_,
      [this] { return cluster_ ? cluster_->members() : std::vector<cluster::MemberInfo>{}; },
      [this](Event event) { publish(std::move(event)); },
      VoterManager::Options{.desired_voters = config.raft_voters,
                            .grace = config.raft_dead_voter_grace});
  voters_->start();
  log::get("raft")->info(
      "raft id {} at {} (data {}){}", options.id, options.address, options.dir.string(),
      options.bootstrap.empty() ? ""
                                : ", bootstrapping " + std::to_string(options.bootstrap.size()) +
                                      " voter(s) unless it has state");
  return start_leases();
}

void NodeAgent::refresh_consensus_mirror() {
  if (mirror_refreshing_ || !raft_) return;
  mirror_refreshing_ = true;
  const std::uint64_t index = raft_->status().last_applied;
  raft_->read([](const consensus::Applier& state) { return state.snapshot(); },
              [this, index](std::string snapshot) {
                mirror_refreshing_ = false;
                if (!raft_mirror_) return;
                if (auto restored = raft_mirror_->restore(snapshot); !restored)
                  log::get("raft")->warn("state copy not refreshed: {}", restored.error().message);
                mirrored_index_ = index;
                update_leases();
                if (raft_ && raft_->status().last_applied != mirrored_index_)
                  refresh_consensus_mirror();
              });
}

std::string NodeAgent::raft_advertised_address() const {
  const auto& config = loaded_.config;
  if (!config.raft_enabled) return "";
  const std::string host = wildcard(config.raft.host) ? advertised_host_ : config.raft.host;
  return host.empty() ? "" : host + ":" + std::to_string(config.raft.port);
}

void NodeAgent::transfer_leadership(std::optional<std::string> node,
                                    std::function<void(Result<nlohmann::json>)> done,
                                    std::string actor) {
  if (!voters_) {
    done(fail(ErrorCode::unavailable, "raft is not running on this node"));
    return;
  }
  voters_->transfer_leadership(std::move(node), std::move(actor), std::move(done));
}

void NodeAgent::stop_consensus() {
  if (voters_) voters_->stop();
  stop_leases([this] {
    fail_waiting_proposals("the agent is stopping; the change was not proposed");
    if (raft_) raft_->stop();
    if (lease_history_fd_ >= 0) ::close(lease_history_fd_);
    lease_history_fd_ = -1;
  });
}

void NodeAgent::wire_consensus_api(api::ApiContext& context) {
  if (!loaded_.config.raft_enabled) return;  // routes answer 503 "raft is not running"
  context.raft_status = [this]() -> Result<nlohmann::json> {
    if (!raft_) return fail(ErrorCode::unavailable, "raft is starting");
    return consensus::raft_status_json(raft_->status());
  };
  context.leases = [this]() -> Result<nlohmann::json> {
    if (!raft_mirror_) return fail(ErrorCode::unavailable, "raft is starting");
    return consensus::leases_json(*raft_mirror_);
  };
  wire_consensus_ops(context);
}

}  // namespace constellation::agent
