// NodeAgent's node-to-node RPC: the endpoint on gossip (cluster/node_rpc.hpp), the methods
// this node serves to its peers (raft.status, raft.propose, docker.containers,
// docker.restart), and call_node() for the API routes that act on another node (?node=N).
// Apart from node_agent.cpp so the composition file stays short. Loop thread only.
#include <random>

#include "agent/cluster/cluster_service.hpp"
#include "agent/cluster/node_rpc.hpp"
#include "agent/consensus/raft_log.hpp"
#include "agent/consensus/views.hpp"
#include "agent/docker/monitor.hpp"
#include "agent/gossip/transport.hpp"
#include "agent/node_agent.hpp"
#include "shared/strings.hpp"

namespace constellation::agent {

void NodeAgent::start_node_rpc() {
  rpc_timer_ = std::make_unique<asio::steady_timer>(runtime_.loop());
  rpc_ = std::make_unique<cluster::NodeRpc>(
      loaded_.config.node,
      [this](const std::string& node, std::vector<std::uint8_t> payload) -> Status {
        if (!gossip_) return fail(ErrorCode::unavailable, "gossip is not running");
        return gossip_->send_reliable(node, std::move(payload));
      },
      (std::uint64_t{std::random_device{}()} << 32) | 1);
  cluster_->set_rpc_sink([this](std::span<const std::uint8_t> bytes) { rpc_->on_message(bytes); });

  const std::string self = loaded_.config.node;
  rpc_->handle("raft.status", [this, self](const std::string&, nlohmann::json,
                                           cluster::NodeRpc::Done reply) {
    if (!raft_) return reply(fail(ErrorCode::unavailable, "raft is not running on node " + self));
    reply(consensus::raft_status_json(raft_->status()));
  });
  rpc_->handle("raft.propose",
               [this](const std::string&, nlohmann::json params, cluster::NodeRpc::Done reply) {
                 serve_raft_propose(params, std::move(reply));
               });
  rpc_->handle("docker.containers",
               [this, self](const std::string&, nlohmann::json, cluster::NodeRpc::Done reply) {
                 if (!docker_)
                   return reply(fail(ErrorCode::unavailable, "the Docker monitor is off on node " +
                                                                 self + " (option docker)"));
                 reply(docker_->containers_json());
               });
  rpc_->handle("docker.restart", [this, self](const std::string& from, nlohmann::json params,
                                              cluster::NodeRpc::Done reply) {
    if (!docker_)
      return reply(fail(ErrorCode::unavailable,
                        "the Docker monitor is off on node " + self + " (option docker)"));
    const std::string name = params.value("name", "");
    if (name.empty())
      return reply(fail(ErrorCode::invalid_argument, "docker.restart needs a container name"));
    docker_->restart(name, params.value("actor", "api") + " via " + from, std::move(reply));
  });
}

void NodeAgent::call_node(const std::string& node, std::string method, nlohmann::json params,
                          std::chrono::milliseconds timeout,
                          std::function<void(Result<nlohmann::json>)> done) {
  if (!rpc_ || !cluster_) return done(fail(ErrorCode::unavailable, "gossip is not running"));
  std::vector<std::string> names;
  const cluster::MemberInfo* found = nullptr;
  const auto members = cluster_->members();
  for (const auto& member : members) {
    names.push_back(member.name);
    if (member.name == node) found = &member;
  }
  if (!found)
    return done(fail(ErrorCode::not_found, "no node named '" + node + "' in the cluster (nodes: " +
                                               join(names, ", ") + ")"));
  if (found->self)
    return done(fail(ErrorCode::invalid_argument,
                     "node " + node + " is this agent's own node; ask without a node"));
  if (!found->live)
    return done(fail(ErrorCode::unavailable,
                     "node " + node +
                         " is not alive in gossip (dead or left); its agent must be "
                         "running to answer"));
  const auto now = std::chrono::steady_clock::now();
  rpc_->call(now, node, std::move(method), std::move(params), now + timeout, std::move(done));
  arm_rpc_timer();
}

asio::awaitable<Result<nlohmann::json>> NodeAgent::call_node_async(std::string node,
                                                                   std::string method,
                                                                   nlohmann::json params) {
  // Restarts wait for the engine's stop timeout; views answer at once.
  const auto timeout = method == "docker.restart" ? std::chrono::milliseconds(60000)
                                                  : loaded_.config.raft_propose_timeout;
  auto initiate = [this, timeout](auto handler, std::string node, std::string method,
                                  nlohmann::json params) {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    call_node(node, std::move(method), std::move(params), timeout,
              [shared](Result<nlohmann::json> result) mutable { (*shared)(std::move(result)); });
  };
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>,
                                          void(Result<nlohmann::json>)>(
      initiate, asio::use_awaitable, std::move(node), std::move(method), std::move(params));
}

void NodeAgent::arm_rpc_timer() {
  auto next = rpc_ ? rpc_->next_deadline() : std::nullopt;
  if (!next) return;
  rpc_timer_->expires_at(*next);
  rpc_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec || !rpc_) return;
    rpc_->expire(std::chrono::steady_clock::now());
    arm_rpc_timer();
  });
}

}  // namespace constellation::agent
