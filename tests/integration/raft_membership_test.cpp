// Raft membership driven by gossip, with five real agents: only n1 bootstraps, the others
// --join its gossip and are added by the leader. The three best priorities end up voting,
// the other two stand by, and leadership moves to the best voter. A kill -9'd voter is
// replaced by a standby once the (short, for the test) grace has passed.
#include <csignal>
#include <map>
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

// Bootstrapped by a middling node; the best (n5) and second best (n4) join last.
const std::vector<std::string> kNames = {"n1", "n2", "n3", "n4", "n5"};
const std::vector<int> kPriorities = {30, 50, 40, 20, 10};

struct FiveRaftNodes {
  TempDir dir;
  std::vector<int> gossip_ports, raft_ports;
  std::vector<std::unique_ptr<Agent>> agents;

  FiveRaftNodes() {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
      gossip_ports.push_back(free_port());
      raft_ports.push_back(free_port());
    }
    for (std::size_t i = 0; i < kNames.size(); ++i) {
      std::vector<std::string> args = {"--gossip",
                                       "127.0.0.1:" + std::to_string(gossip_ports[i]),
                                       "--raft",
                                       raft_address(i),
                                       "--raft-enabled",
                                       "--priority",
                                       std::to_string(kPriorities[i]),
                                       "--raft-dead-voter-grace",
                                       "2s"};
      if (i == 0)
        args.push_back("--bootstrap");
      else
        args.insert(args.end(), {"--join", "127.0.0.1:" + std::to_string(gossip_ports[0])});
      agents.push_back(
          std::make_unique<Agent>(dir, Agent::Options{.node = kNames[i], .extra_args = args}));
    }
  }

  std::string raft_address(std::size_t i) const {
    return "127.0.0.1:" + std::to_string(raft_ports[i]);
  }
  std::string name_at(const std::string& address) const {
    for (std::size_t i = 0; i < kNames.size(); ++i)
      if (raft_address(i) == address) return kNames[i];
    return "?" + address;
  }
  /// Index of the agent that reports itself a ready leader, if any (skipping `dead`).
  std::optional<std::size_t> leader(std::optional<std::size_t> dead = {}) const {
    for (std::size_t i = 0; i < agents.size(); ++i) {
      if (dead && *dead == i) continue;
      json s = get_json(*agents[i], "/api/v1/raft/status");
      if (s.is_object() && s.value("role", "") == "leader" && s.value("ready", false)) return i;
    }
    return std::nullopt;
  }
  /// node name -> role in the configuration, as the leader reports it.
  std::map<std::string, std::string> roles(std::optional<std::size_t> dead = {}) const {
    std::map<std::string, std::string> out;
    auto l = leader(dead);
    if (!l) return out;
    json s = get_json(*agents[*l], "/api/v1/raft/status");
    for (const json& m : s["members"]) out[name_at(m.value("address", ""))] = m.value("role", "");
    return out;
  }
  /// Some agent (the leader at the time) journaled `kind` about `subject`.
  bool any_journaled(const std::string& kind, const std::string& subject,
                     std::optional<std::size_t> dead = {}) const {
    for (std::size_t i = 0; i < agents.size(); ++i)
      if ((!dead || *dead != i) && journaled(*agents[i], kind, subject)) return true;
    return false;
  }
  std::string describe(std::optional<std::size_t> dead = {}) const {
    std::string out;
    for (std::size_t i = 0; i < agents.size(); ++i)
      if (!dead || *dead != i)
        out += kNames[i] + ": " + get_json(*agents[i], "/api/v1/raft/status").dump() + "\n";
    return out;
  }
};

using Roles = std::map<std::string, std::string>;

}  // namespace

TEST(RaftMembership, JoiningAgentsBecomeThreeBestVotersAndTwoStandbysLedByTheBest) {
  FiveRaftNodes cluster;
  const Roles expected = {
      {"n1", "voter"}, {"n2", "standby"}, {"n3", "standby"}, {"n4", "voter"}, {"n5", "voter"}};
  ASSERT_TRUE(eventually([&] { return cluster.roles() == expected; }, std::chrono::seconds(60)))
      << cluster.describe();
  ASSERT_TRUE(
      eventually([&] { return cluster.leader() == std::size_t{4}; }, std::chrono::seconds(30)))
      << cluster.describe();
  // Every node, standbys included, learns the same leader (n5).
  for (const auto& agent : cluster.agents)
    EXPECT_TRUE(eventually([&] {
      json s = get_json(*agent, "/api/v1/raft/status");
      return s["leader"].is_object() && s["leader"].value("address", "") == cluster.raft_address(4);
    })) << cluster.describe();
  // The leader that made each change journaled it.
  EXPECT_TRUE(cluster.any_journaled("raft.standby_added", "n5"));
  EXPECT_TRUE(cluster.any_journaled("raft.promoted", "n4"));
  EXPECT_TRUE(cluster.any_journaled("raft.leadership_transferred", "n5"));
  // The leader found n2's raft address in its gossiped meta.
  json n2 = get_json(*cluster.agents[4], "/api/v1/nodes/n2");
  EXPECT_EQ(n2.value("raft_address", ""), cluster.raft_address(1)) << n2.dump();

  // kill -9 a voter (n4): after the 2 s grace the best standby (n3) is promoted and n4 removed.
  Agent& victim = *cluster.agents[3];
  victim.process().signal(SIGKILL);
  ASSERT_TRUE(victim.process().wait(std::chrono::seconds(5)).has_value());
  const Roles after = {{"n1", "voter"}, {"n2", "standby"}, {"n3", "voter"}, {"n5", "voter"}};
  ASSERT_TRUE(eventually([&] { return cluster.roles(3) == after; }, std::chrono::seconds(60)))
      << cluster.describe(3);
  EXPECT_EQ(cluster.leader(3), std::size_t{4}) << cluster.describe(3);
  EXPECT_TRUE(eventually([&] { return cluster.any_journaled("raft.promoted", "n3", 3); }));
  EXPECT_TRUE(eventually([&] { return cluster.any_journaled("raft.removed", "n4", 3); }));
}

TEST(RaftMembership, KilledLeaderIsReplacedAndLeadershipSettlesOnTheBestSurvivor) {
  FiveRaftNodes cluster;
  ASSERT_TRUE(
      eventually([&] { return cluster.leader() == std::size_t{4}; }, std::chrono::seconds(60)))
      << cluster.describe();
  ASSERT_TRUE(eventually([&] { return cluster.roles().size() == 5; })) << cluster.describe();

  // kill -9 the leader (n5): the survivors elect, and the new leader replaces n5 with the
  // best standby (n3) after the grace, then hands leadership to the best voter left (n4).
  Agent& victim = *cluster.agents[4];
  victim.process().signal(SIGKILL);
  ASSERT_TRUE(victim.process().wait(std::chrono::seconds(5)).has_value());
  const Roles after = {{"n1", "voter"}, {"n2", "standby"}, {"n3", "voter"}, {"n4", "voter"}};
  ASSERT_TRUE(eventually([&] { return cluster.roles(4) == after; }, std::chrono::seconds(60)))
      << cluster.describe(4);
  EXPECT_TRUE(eventually([&] { return cluster.leader(4) == std::size_t{3}; }))
      << cluster.describe(4);
  // Whichever survivor led at the time journaled the removal.
  EXPECT_TRUE(eventually([&] { return cluster.any_journaled("raft.removed", "n5", 4); }));
}
