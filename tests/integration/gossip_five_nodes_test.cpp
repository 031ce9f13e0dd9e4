// Five real agents on loopback, the size of a small fleet: they converge (all list five alive),
// a kill -9 is seen dead and journaled by the four others, a restarted node (same name, data
// dir and address) is alive again everywhere with a higher incarnation, and a SIGTERM is seen
// as a leave everywhere. Waits poll with generous deadlines; nothing asserts on timing.
#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/gossip.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;

namespace {
const std::vector<std::string> kNames = {"n1", "n2", "n3", "n4", "n5"};

// Five agents; n2..n5 join n1. Each has a fixed gossip port so a restart keeps its address.
struct FiveNodes {
  TempDir dir;
  std::vector<int> ports;
  std::vector<std::unique_ptr<Agent>> agents;

  FiveNodes() {
    for (std::size_t i = 0; i < kNames.size(); ++i) ports.push_back(free_port());
    for (std::size_t i = 0; i < kNames.size(); ++i) start(i);
  }

  Agent::Options options(std::size_t i) const {
    std::vector<std::string> args = {"--gossip", "127.0.0.1:" + std::to_string(ports[i])};
    if (i != 0) args.insert(args.end(), {"--join", "127.0.0.1:" + std::to_string(ports[0])});
    return {.node = kNames[i], .extra_args = args};
  }
  void start(std::size_t i) {
    agents.resize(kNames.size());
    agents[i] = std::make_unique<Agent>(dir, options(i));
  }
  // Every agent except `skip` (nullptr for all).
  std::vector<Agent*> others(const Agent* skip) const {
    std::vector<Agent*> out;
    for (const auto& agent : agents)
      if (agent.get() != skip) out.push_back(agent.get());
    return out;
  }
  bool converged() const {
    for (const auto& agent : agents)
      if (alive_count(*agent) != kNames.size()) return false;
    return true;
  }
  std::string views() const {
    std::string out;
    for (std::size_t i = 0; i < agents.size(); ++i)
      out += kNames[i] + ": " + members_of(*agents[i]).dump() + "\n";
    return out;
  }
};
}  // namespace

TEST(GossipFiveNodes, AllFiveAgentsListFiveAliveMembers) {
  FiveNodes cluster;
  EXPECT_TRUE(eventually([&] { return cluster.converged(); })) << cluster.views();
  for (Agent* agent : cluster.others(nullptr))
    for (const auto& name : kNames) EXPECT_EQ(member_state(*agent, name), "alive") << name;
}

TEST(GossipFiveNodes, KilledAgentIsSeenDeadAndJournaledByTheFourOthers) {
  FiveNodes cluster;
  ASSERT_TRUE(eventually([&] { return cluster.converged(); })) << cluster.views();
  Agent& victim = *cluster.agents[2];
  victim.process().signal(SIGKILL);
  ASSERT_TRUE(victim.process().wait(std::chrono::seconds(5)).has_value());
  for (Agent* agent : cluster.others(&victim)) {
    EXPECT_TRUE(eventually([&] { return member_state(*agent, "n3") == "dead"; }))
        << members_of(*agent).dump();
    EXPECT_TRUE(eventually([&] { return journaled(*agent, "member.dead", "n3"); }));
    EXPECT_EQ(alive_count(*agent), 4u) << members_of(*agent).dump();
  }
}

TEST(GossipFiveNodes, RestartedAgentRejoinsAliveWithAHigherIncarnation) {
  FiveNodes cluster;
  ASSERT_TRUE(eventually([&] { return cluster.converged(); })) << cluster.views();
  cluster.agents[3]->process().signal(SIGKILL);
  ASSERT_TRUE(cluster.agents[3]->process().wait(std::chrono::seconds(5)).has_value());
  std::vector<std::uint64_t> dead_at;
  for (Agent* agent : cluster.others(cluster.agents[3].get())) {
    ASSERT_TRUE(eventually([&] { return member_state(*agent, "n4") == "dead"; }))
        << members_of(*agent).dump();
    dead_at.push_back(incarnation_of(*agent, "n4").value_or(0));
  }

  cluster.start(3);  // same name, data dir and gossip address
  ASSERT_TRUE(cluster.agents[3]->wait_ready()) << cluster.agents[3]->process().log();
  EXPECT_TRUE(eventually([&] { return cluster.converged(); })) << cluster.views();
  auto observers = cluster.others(cluster.agents[3].get());
  for (std::size_t i = 0; i < observers.size(); ++i) {
    EXPECT_EQ(member_state(*observers[i], "n4"), "alive");
    EXPECT_GT(incarnation_of(*observers[i], "n4").value_or(0), dead_at[i])
        << members_of(*observers[i]).dump();
  }
}

TEST(GossipFiveNodes, GracefullyStoppedAgentIsSeenAsLeftEverywhere) {
  FiveNodes cluster;
  ASSERT_TRUE(eventually([&] { return cluster.converged(); })) << cluster.views();
  Agent& leaver = *cluster.agents[4];
  EXPECT_EQ(leaver.stop(), 0) << leaver.process().log();
  for (Agent* agent : cluster.others(&leaver)) {
    EXPECT_TRUE(eventually([&] { return member_state(*agent, "n5") == "left"; }))
        << members_of(*agent).dump();
    EXPECT_TRUE(eventually([&] { return journaled(*agent, "member.left", "n5"); }));
    EXPECT_EQ(alive_count(*agent), 4u) << members_of(*agent).dump();
  }
}
