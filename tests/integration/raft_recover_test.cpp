// `constellation raft recover` on real agents: a three-voter cluster is stopped for good, one
// survivor's data directory is recovered to a single voter, and that agent alone leads again
// with its whole log. The command refuses without the confirmation flag and while the agent
// runs on the directory.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/agent_api.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;
using nlohmann::json;

namespace {

const std::vector<std::string> kNames = {"r1", "r2", "r3"};

struct ThreeVoters {
  TempDir dir;
  std::vector<int> gossip_ports, raft_ports;
  std::vector<std::unique_ptr<Agent>> agents;

  ThreeVoters() {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
      gossip_ports.push_back(free_port());
      raft_ports.push_back(free_port());
    }
    for (std::size_t i = 0; i < kNames.size(); ++i) start(i);
  }
  Agent::Options options(std::size_t i) const {
    std::vector<std::string> args = {"--gossip",
                                     "127.0.0.1:" + std::to_string(gossip_ports[i]),
                                     "--raft",
                                     "127.0.0.1:" + std::to_string(raft_ports[i]),
                                     "--raft-enabled",
                                     "--priority",
                                     std::to_string(10 * (i + 1))};
    if (i == 0)
      args.push_back("--bootstrap");
    else
      args.insert(args.end(), {"--join", "127.0.0.1:" + std::to_string(gossip_ports[0])});
    return {.node = kNames[i], .extra_args = args};
  }
  void start(std::size_t i) {
    agents.resize(kNames.size());
    agents[i] = std::make_unique<Agent>(dir, options(i));
  }
  /// The agent's options (what `constellation agent` was given), for offline commands.
  std::vector<std::string> agent_options(std::size_t i) const {
    auto args = agents[i]->args();
    return {args.begin() + 2, args.end()};  // drop the binary and "agent"
  }
  int voters_seen_by(std::size_t i) const {
    json s = get_json(*agents[i], "/api/v1/raft/status");
    int voters = 0;
    if (s.is_object())
      for (const json& m : s["members"]) voters += m.value("role", "") == "voter" ? 1 : 0;
    return voters;
  }
};

CommandResult recover(const std::vector<std::string>& agent_options, bool confirm) {
  std::vector<std::string> args = {"raft", "recover"};
  args.insert(args.end(), agent_options.begin(), agent_options.end());
  if (confirm) args.push_back("--yes-i-lost-quorum");
  return run_cli(args);
}

}  // namespace

TEST(RaftRecover, SurvivorOfALostQuorumLeadsAloneWithItsLog) {
  ThreeVoters cluster;
  ASSERT_TRUE(eventually([&] { return cluster.voters_seen_by(0) == 3; }, std::chrono::seconds(60)))
      << get_json(*cluster.agents[0], "/api/v1/raft/status").dump();
  json before;
  ASSERT_TRUE(eventually([&] {
    before = get_json(*cluster.agents[0], "/api/v1/raft/status");
    return before.value("last_applied", 0) > 0 &&
           before.value("last_applied", 0) == before.value("commit_index", 1);
  }));

  // Refused while r1's agent runs on the directory, even when confirmed.
  auto running = recover(cluster.agent_options(0), true);
  EXPECT_EQ(running.exit_code, 1) << running.err;
  EXPECT_NE(running.err.find("an agent is running here"), std::string::npos) << running.err;

  for (auto& agent : cluster.agents) EXPECT_EQ(agent->stop(), 0);

  // r2 and r3 are gone for good. Without the confirmation nothing is written.
  auto unconfirmed = recover(cluster.agent_options(0), false);
  EXPECT_EQ(unconfirmed.exit_code, 2) << unconfirmed.err;
  EXPECT_NE(unconfirmed.err.find("--yes-i-lost-quorum"), std::string::npos) << unconfirmed.err;
  EXPECT_NE(unconfirmed.err.find("r1=127.0.0.1:" + std::to_string(cluster.raft_ports[0])),
            std::string::npos)
      << unconfirmed.err;

  auto done = recover(cluster.agent_options(0), true);
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_NE(done.out.find("elects itself leader"), std::string::npos) << done.out;

  cluster.start(0);
  json after;
  ASSERT_TRUE(eventually(
      [&] {
        after = get_json(*cluster.agents[0], "/api/v1/raft/status");
        return after.value("role", "") == "leader" && after.value("ready", false);
      },
      std::chrono::seconds(20)))
      << after.dump();
  ASSERT_EQ(after["members"].size(), 1u) << after.dump();
  EXPECT_EQ(after["members"][0]["role"], "voter");
  // Everything committed before the loss is still in the log and applied.
  EXPECT_GT(after.value("last_applied", 0), before.value("last_applied", 0)) << after.dump();
}
