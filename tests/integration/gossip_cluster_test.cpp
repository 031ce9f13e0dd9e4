// Three real agents on loopback form one gossip cluster: they all list each other alive, a
// kill -9 is noticed (member dead, journaled), a graceful SIGTERM is seen as a leave. Waits
// poll with generous deadlines; nothing asserts on timing.
#include <sys/stat.h>
#include <csignal>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/gossip.hpp"
#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;
using nlohmann::json;

namespace {

struct Cluster {
  TempDir dir;
  std::unique_ptr<Agent> a, b, c;
  Cluster() {
    a = std::make_unique<Agent>(dir, Agent::Options{.node = "alpha"});
    auto port = a->gossip_port();
    EXPECT_TRUE(port.has_value());
    std::string seed = "127.0.0.1:" + std::to_string(port.value_or(0));
    b = std::make_unique<Agent>(dir,
                                Agent::Options{.node = "beta", .extra_args = {"--join", seed}});
    c = std::make_unique<Agent>(dir,
                                Agent::Options{.node = "gamma", .extra_args = {"--join", seed}});
  }
};
}  // namespace

TEST(GossipCluster, StatusReportsTheBoundLoopbackGossipPort) {
  TempDir dir;
  Agent agent(dir, {.node = "solo"});
  auto port = agent.gossip_port();
  ASSERT_TRUE(port.has_value());
  EXPECT_GT(*port, 0);
  EXPECT_NE(*port, 7946);
  auto members = members_of(agent);
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0]["name"], "solo");
  EXPECT_EQ(members[0]["state"], "alive");
  EXPECT_EQ(members[0]["address"], "127.0.0.1:" + std::to_string(*port));
}

TEST(GossipCluster, ThreeAgentsJoinAndAllListThreeAliveMembers) {
  Cluster cluster;
  for (Agent* agent : {cluster.a.get(), cluster.b.get(), cluster.c.get()})
    EXPECT_TRUE(eventually([&] { return alive_count(*agent) == 3; })) << members_of(*agent).dump();
  EXPECT_TRUE(eventually([&] { return journaled(*cluster.a, "member.join", "gamma"); }));
  auto metrics = http_request(UnixTarget{cluster.a->socket()}, "GET", "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("constellation_gossip_members{state=\"alive\"} 3"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("constellation_gossip_dropped_total{reason=\"bad_crc\"} 0"),
            std::string::npos);
}

TEST(GossipCluster, KilledAgentIsDeclaredDeadAndJournaled) {
  Cluster cluster;
  ASSERT_TRUE(eventually([&] { return alive_count(*cluster.a) == 3; }));
  ASSERT_TRUE(eventually([&] { return alive_count(*cluster.b) == 3; }));
  cluster.c->process().signal(SIGKILL);
  cluster.c->process().wait(std::chrono::seconds(5));
  for (Agent* agent : {cluster.a.get(), cluster.b.get()}) {
    EXPECT_TRUE(eventually([&] { return state_of(*agent, "gamma") == "dead"; }))
        << members_of(*agent).dump();
    EXPECT_TRUE(eventually([&] { return journaled(*agent, "member.dead", "gamma"); }));
  }
}

TEST(GossipCluster, GracefullyStoppedAgentIsSeenAsLeft) {
  Cluster cluster;
  ASSERT_TRUE(eventually([&] { return alive_count(*cluster.a) == 3; }));
  ASSERT_TRUE(eventually([&] { return alive_count(*cluster.b) == 3; }));
  EXPECT_EQ(cluster.c->stop(), 0);
  for (Agent* agent : {cluster.a.get(), cluster.b.get()}) {
    EXPECT_TRUE(eventually([&] { return state_of(*agent, "gamma") == "left"; }))
        << members_of(*agent).dump();
    EXPECT_TRUE(eventually([&] { return journaled(*agent, "member.left", "gamma"); }));
  }
}

TEST(GossipCluster, ConsoleJoinConnectsTwoAgentsAndMembersListsThem) {
  TempDir dir;
  Agent alpha(dir, {.node = "alpha"});
  Agent beta(dir, {.node = "beta"});
  auto port = alpha.gossip_port();
  ASSERT_TRUE(port.has_value());
  auto joined = run_cli({"join", "--agent", beta.socket(), "127.0.0.1:" + std::to_string(*port)});
  ASSERT_EQ(joined.exit_code, 0) << joined.err;
  EXPECT_NE(joined.out.find("joining 127.0.0.1:" + std::to_string(*port)), std::string::npos)
      << joined.out;
  EXPECT_TRUE(eventually([&] { return alive_count(alpha) == 2 && alive_count(beta) == 2; }));

  auto table = run_cli({"members", "--agent", alpha.socket()});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("NAME", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("INCARNATION"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("beta"), std::string::npos) << table.out;
  auto as_json = run_cli({"members", "--agent", alpha.socket(), "-o", "json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out)["members"].size(), 2u);

  auto bad = run_cli({"join", "--agent", beta.socket(), "127.0.0.1:notaport"});
  EXPECT_NE(bad.exit_code, 0);
}

TEST(GossipCluster, AgentsSharingAKeyringFileJoinAndAnOpenKeyringIsRefused) {
  TempDir dir;
  const std::string keys = dir.file("gossip.keys");
  // Two keys: the first encrypts, the second is only accepted (rotation).
  std::ofstream(keys) << "AAECAwQFBgcICQoLDA0ODw==\nEBESExQVFhcYGRobHB0eHw==\n";
  ::chmod(keys.c_str(), 0600);
  Agent alpha(dir, {.node = "alpha", .extra_args = {"--gossip-keyring", keys}});
  auto port = alpha.gossip_port();
  ASSERT_TRUE(port.has_value());
  Agent beta(dir, {.node = "beta",
                   .extra_args = {"--gossip-keyring", keys, "--join",
                                  "127.0.0.1:" + std::to_string(*port)}});
  EXPECT_TRUE(eventually([&] { return alive_count(alpha) == 2 && alive_count(beta) == 2; }));

  ::chmod(keys.c_str(), 0644);
  auto refused =
      run_cli({"agent", "--node", "gamma", "--data-dir", dir.file("gamma"), "--socket",
               dir.file("gamma.sock"), "--api", "127.0.0.1:0", "--gossip", "127.0.0.1:0",
               "--config", dir.file("alpha/empty-config.yaml"), "--gossip-keyring", keys});
  EXPECT_EQ(refused.exit_code, 78) << refused.err;
  EXPECT_NE(refused.err.find("chmod 600"), std::string::npos) << refused.err;
}
