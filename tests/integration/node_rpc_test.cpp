// Node RPC between real agents over gossip: ?node=N on raft status and containers answers
// from the other node's agent (errors named: an unknown node 404, a node without Docker 503),
// and "raft.propose" from a gossip peer (this test process, a member of the agents' gossip
// pool) commits on the leader exactly once; a cordon POSTed to a follower is forwarded to the
// leader and applied once everywhere; once the leader is killed, the follower waits its
// bounded time and answers 503 saying why.
#include <gtest/gtest.h>

#include <csignal>

#include <nlohmann/json.hpp>

#include "agent/cluster/node_rpc.hpp"
#include "agent/consensus/commands.hpp"
#include "agent/gossip/transport.hpp"
#include "tests/harness/agent_api.hpp"
#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"

namespace constellation::testing {
namespace {

using nlohmann::json;

json get_with_status(const Agent& agent, const std::string& path, int& status) {
  auto response = http_request(UnixTarget{agent.socket()}, "GET", path);
  if (!response) return json();
  status = response->status;
  return json::parse(response->body, nullptr, false);
}

/// A leader (alpha, bootstrapped) and a raft follower (beta, added by alpha once gossip shows
/// it), in one gossip pool.
struct TwoRaftAgents {
  TempDir dir;
  Agent alpha{dir,
              {.node = "alpha",
               .extra_args = {"--raft-enabled", "--bootstrap", "--raft",
                              "127.0.0.1:" + std::to_string(free_port())}}};
  Agent beta{dir,
             {.node = "beta",
              .extra_args = {"--raft-enabled", "--raft", "127.0.0.1:" + std::to_string(free_port()),
                             "--raft-propose-timeout", "1s", "--join",
                             "127.0.0.1:" + std::to_string(alpha.gossip_port().value_or(0))}}};
  bool ready() {
    return eventually(
        [&] {
          return member_state(alpha, "beta") == "alive" && member_state(beta, "alpha") == "alive" &&
                 get_json(alpha, "/api/v1/raft/status").value("ready", false) &&
                 get_json(beta, "/api/v1/raft/status").value("role", "") == "follower" &&
                 get_json(beta, "/api/v1/raft/status")["leader"].is_object();
        },
        std::chrono::seconds(20));
  }
};

TEST(NodeRpc, RaftStatusAndContainersOfAnotherNodeComeFromThatNodesAgent) {
  TwoRaftAgents cluster;
  ASSERT_TRUE(cluster.ready());

  int status = 0;
  auto leader = get_with_status(cluster.beta, "/api/v1/raft/status?node=alpha", status);
  EXPECT_EQ(status, 200) << leader.dump();
  EXPECT_EQ(leader["role"], "leader");
  auto follower = get_with_status(cluster.alpha, "/api/v1/raft/status?node=beta", status);
  EXPECT_EQ(status, 200) << follower.dump();
  EXPECT_EQ(follower["role"], "follower");
  EXPECT_EQ(follower["leader"]["id"], leader["id"]) << follower.dump();
  // ?node= naming the agent itself is the local view.
  EXPECT_EQ(get_with_status(cluster.alpha, "/api/v1/raft/status?node=alpha", status)["role"],
            "leader");

  auto nobody = get_with_status(cluster.alpha, "/api/v1/raft/status?node=gamma", status);
  EXPECT_EQ(status, 404) << nobody.dump();
  EXPECT_NE(nobody["error"]["message"].get<std::string>().find("'gamma'"), std::string::npos);
  auto no_docker = get_with_status(cluster.alpha, "/api/v1/containers?node=beta", status);
  EXPECT_EQ(status, 503) << no_docker.dump();
  EXPECT_NE(
      no_docker["error"]["message"].get<std::string>().find("Docker monitor is off on node beta"),
      std::string::npos)
      << no_docker.dump();
  auto cli = run_cli({"containers", "--node", "beta", "--agent", cluster.alpha.socket()});
  EXPECT_EQ(cli.exit_code, 69) << cli.out << cli.err;
  EXPECT_NE(cli.err.find("node beta"), std::string::npos) << cli.err;

  EXPECT_EQ(cluster.beta.stop(), 0);
  EXPECT_EQ(cluster.alpha.stop(), 0);
}

/// This process as a gossip member with a node-RPC endpoint, driven by run_until().
class RpcPeer {
 public:
  explicit RpcPeer(int join_port) {
    gossip::ServiceOptions options;
    options.node = "test-peer";
    options.bind_host = "127.0.0.1";
    options.bind_port = 0;
    options.join = {"127.0.0.1:" + std::to_string(join_port)};
    gossip_ = std::make_unique<gossip::GossipService>(loop_, options, nullptr);
    rpc_ = std::make_unique<cluster::NodeRpc>(
        "test-peer", [this](const std::string& node, std::vector<std::uint8_t> bytes) {
          return gossip_->send_reliable(node, std::move(bytes));
        });
    gossip_->set_application(
        {.on_message = [this](std::span<const std::uint8_t> bytes) { rpc_->on_message(bytes); },
         .on_state = {}});
    EXPECT_TRUE(gossip_->start());
  }
  ~RpcPeer() {
    gossip_->stop();
    loop_.run_for(std::chrono::milliseconds(500));
  }
  bool knows_alive(const std::string& node) {
    return run_until([&] {
      const auto* member = gossip_->core()->members().find(node);
      return member && member->state == gossip::MemberState::alive;
    });
  }
  /// Calls and runs the loop until the answer is in (or 30 s passed).
  std::optional<Result<json>> call(const std::string& node, const std::string& method,
                                   json params) {
    std::optional<Result<json>> answer;
    const auto now = std::chrono::steady_clock::now();
    rpc_->call(now, node, method, std::move(params), now + std::chrono::seconds(30),
               [&](Result<json> r) { answer = std::move(r); });
    run_until([&] { return answer.has_value(); });
    return answer;
  }

 private:
  template <typename Pred>
  bool run_until(Pred done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done() && std::chrono::steady_clock::now() < until)
      loop_.run_for(std::chrono::milliseconds(20));
    return done();
  }
  asio::io_context loop_;
  std::unique_ptr<gossip::GossipService> gossip_;
  std::unique_ptr<cluster::NodeRpc> rpc_;
};

json propose_params(const consensus::Command& command) {
  return {{"command", consensus::encode(command)}, {"hops", 0}, {"timeout_ms", 5000}};
}

TEST(NodeRpc, AForwardedProposalCommitsOnTheLeaderOnceAndAFollowerWithoutLeaderSays503) {
  TwoRaftAgents cluster;
  ASSERT_TRUE(cluster.ready());
  RpcPeer peer(cluster.alpha.gossip_port().value_or(0));
  ASSERT_TRUE(peer.knows_alive("alpha"));
  ASSERT_TRUE(peer.knows_alive("beta"));

  const consensus::Command cordon = consensus::CordonNode{
      .id = "rpc-test-1", .node = "beta", .reason = "rpc test", .actor = "test", .at_unix_ms = 1};
  auto first = peer.call("alpha", "raft.propose", propose_params(cordon));
  ASSERT_TRUE(first && *first) << (first ? first->error().message : "no answer");
  EXPECT_TRUE((**first)["result"].is_string()) << (**first).dump();
  auto leases = get_json(cluster.alpha, "/api/v1/leases");
  ASSERT_EQ(leases["cordons"].size(), 1u) << leases.dump();
  EXPECT_EQ(leases["cordons"][0]["node"], "beta");

  // The same command id again (a retry after an unknown outcome) changes nothing.
  auto again = peer.call("alpha", "raft.propose", propose_params(cordon));
  ASSERT_TRUE(again && *again) << (again ? again->error().message : "no answer");
  EXPECT_NE((**again)["result"].get<std::string>().find("duplicate"), std::string::npos)
      << (**again).dump();
  EXPECT_EQ(get_json(cluster.alpha, "/api/v1/leases")["cordons"].size(), 1u);

  auto unknown = peer.call("alpha", "raft.nothing", json::object());
  ASSERT_TRUE(unknown && !*unknown);
  EXPECT_EQ(unknown->error().code, ErrorCode::not_found);

  // An operator's cordon sent to the follower's API is forwarded to the leader, applied once
  // and seen on both nodes.
  auto forwarded =
      http_request(UnixTarget{cluster.beta.socket()}, "POST", "/api/v1/nodes/alpha/cordon",
                   R"({"reason":"forwarded"})", {{"Content-Type", "application/json"}});
  ASSERT_TRUE(forwarded.has_value());
  EXPECT_EQ(forwarded->status, 200) << forwarded->body;
  for (Agent* agent : {&cluster.alpha, &cluster.beta})
    EXPECT_TRUE(eventually([&] {
      return get_json(*agent, "/api/v1/leases")["cordons"].size() == 2;
    })) << get_json(*agent, "/api/v1/leases").dump();

  // Without its leader beta waits its raft_propose_timeout (1s) and says why.
  cluster.alpha.process().signal(SIGKILL);
  (void)cluster.alpha.process().wait(std::chrono::seconds(10));
  // A standby never campaigns, so beta may keep naming alpha; gossip says alpha is gone.
  ASSERT_TRUE(eventually([&] { return member_state(cluster.beta, "alpha") == "dead"; }));
  const consensus::Command other = consensus::CordonNode{
      .id = "rpc-test-2", .node = "beta", .reason = "rpc test", .actor = "test", .at_unix_ms = 1};
  auto refused = peer.call("beta", "raft.propose", propose_params(other));
  ASSERT_TRUE(refused && !*refused);
  EXPECT_EQ(refused->error().code, ErrorCode::unavailable);
  EXPECT_NE(refused->error().message.find("no raft leader after 1s"), std::string::npos)
      << refused->error().message;
  EXPECT_NE(refused->error().message.find("is not alive in gossip"), std::string::npos)
      << refused->error().message;
  EXPECT_EQ(cluster.beta.stop(), 0);
}

}  // namespace
}  // namespace constellation::testing
