// The cluster's nodes as operators see them through real agents and the real CLI: the meta
// each node gossips (priority from its name, capabilities), node show for one node and for
// an unknown one, force-leave of a failed node (refused for a live one), leave, and keygen
// producing a key agents accept.
#include <sys/stat.h>
#include <csignal>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/agent_api.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;
using nlohmann::json;

namespace {

std::string seed_of(const Agent& agent) {
  return "127.0.0.1:" + std::to_string(agent.gossip_port().value_or(0));
}

json nodes_of(const Agent& agent) {
  auto body = get_json(agent, "/api/v1/nodes");
  return body.is_object() ? body.value("nodes", json::array()) : json::array();
}

json node_named(const json& nodes, const std::string& name) {
  for (const auto& node : nodes)
    if (node.value("name", "") == name) return node;
  return nullptr;
}

}  // namespace

TEST(Nodes, EveryNodeListsItsPeersWithTheirGossipedPriorityAndCapabilities) {
  TempDir dir;
  Agent home(dir, {.node = "home-1", .extra_args = {"--capabilities", "lb"}});
  Agent cloud(dir, {.node = "cloudserver-1", .extra_args = {"--join", seed_of(home)}});
  Agent pinned(dir, {.node = "pinned", .extra_args = {"--join", seed_of(home), "--priority", "5"}});
  ASSERT_TRUE(eventually([&] {
    auto nodes = nodes_of(home);
    auto far = node_named(nodes, "pinned");
    return nodes.size() == 3 && far.is_object() && far.value("priority", 0) == 5;
  })) << nodes_of(home).dump();

  auto listed = run_cli({"nodes", "--agent", cloud.socket(), "-o", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  auto nodes = json::parse(listed.out)["nodes"];
  ASSERT_TRUE(eventually([&] {
    nodes = json::parse(run_cli({"nodes", "--agent", cloud.socket(), "-o", "json"}).out)["nodes"];
    return nodes.size() == 3 && node_named(nodes, "pinned").value("priority", 0) == 5 &&
           node_named(nodes, "home-1").value("capabilities", json::array()) == json{"lb"};
  })) << nodes.dump();
  EXPECT_EQ(node_named(nodes, "cloudserver-1")["priority"], 10);
  EXPECT_EQ(node_named(nodes, "home-1")["priority"], 50);
  EXPECT_EQ(node_named(nodes, "pinned")["priority"], 5);
  EXPECT_EQ(node_named(nodes, "cloudserver-1")["capabilities"], (json{"lb", "dns"}));
  EXPECT_EQ(node_named(nodes, "cloudserver-1")["self"], true);
  // Lower priority first: the table is the order leases will prefer.
  EXPECT_EQ(nodes[0]["name"], "pinned");
  EXPECT_EQ(nodes[1]["name"], "cloudserver-1");

  auto table = run_cli({"nodes", "--agent", cloud.socket()});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("NAME", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("cloudserver-1 (this node)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("PRIORITY"), std::string::npos) << table.out;
}

TEST(Nodes, NodeShowDescribesOneNodeAndNamesTheKnownOnesForATypo) {
  TempDir dir;
  Agent alpha(dir, {.node = "alpha"});
  Agent beta(dir, {.node = "beta", .extra_args = {"--join", seed_of(alpha)}});
  ASSERT_TRUE(eventually([&] { return alive_count(alpha) == 2; }));

  auto shown = run_cli({"node", "show", "beta", "--agent", alpha.socket(), "-o", "json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  auto node = json::parse(shown.out);
  EXPECT_EQ(node["name"], "beta");
  EXPECT_EQ(node["state"], "alive");
  EXPECT_EQ(node["role"], "constellation");
  EXPECT_TRUE(node["service_records"].is_array());

  auto table = run_cli({"node", "show", "beta", "--agent", alpha.socket()});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("no services reported by beta"), std::string::npos) << table.out;

  // Bash completion offers the live node names (the agent comes from the environment there).
  auto completed =
      run_cli({"__complete", "node", "show", "b"}, {{"CONSTELLATION_AGENT", alpha.socket()}});
  EXPECT_EQ(completed.out, "beta\n") << completed.err;

  auto typo = run_cli({"node", "show", "betta", "--agent", alpha.socket()});
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_NE(typo.err.find("no node named 'betta'"), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("beta"), std::string::npos) << typo.err;
}

TEST(Nodes, ForceLeaveIsRefusedForALiveNodeAndTurnsAFailedOneIntoLeftEverywhere) {
  TempDir dir;
  Agent alpha(dir, {.node = "alpha"});
  Agent beta(dir, {.node = "beta", .extra_args = {"--join", seed_of(alpha)}});
  Agent gamma(dir, {.node = "gamma", .extra_args = {"--join", seed_of(alpha)}});
  ASSERT_TRUE(eventually([&] { return alive_count(alpha) == 3 && alive_count(beta) == 3; }));

  auto refused = run_cli({"force-leave", "gamma", "--agent", alpha.socket()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("is alive"), std::string::npos) << refused.err;
  EXPECT_EQ(member_state(alpha, "gamma"), "alive");
  auto unknown = run_cli({"force-leave", "delta", "--agent", alpha.socket()});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no member named 'delta'"), std::string::npos) << unknown.err;

  gamma.process().signal(SIGKILL);
  gamma.process().wait(std::chrono::seconds(5));
  ASSERT_TRUE(eventually([&] { return member_state(beta, "gamma") == "dead"; }));
  ASSERT_TRUE(eventually([&] { return member_state(alpha, "gamma") == "dead"; }));
  auto forced = run_cli({"force-leave", "gamma", "--agent", alpha.socket()});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(member_state(alpha, "gamma"), "left");
  EXPECT_TRUE(eventually([&] { return member_state(beta, "gamma") == "left"; }))
      << members_of(beta).dump();
  EXPECT_TRUE(eventually([&] { return journaled(beta, "member.left", "gamma"); }));
}

TEST(Nodes, LeaveStopsTheAgentAndItsPeersSeeItLeft) {
  TempDir dir;
  Agent alpha(dir, {.node = "alpha"});
  Agent beta(dir, {.node = "beta", .extra_args = {"--join", seed_of(alpha)}});
  ASSERT_TRUE(eventually([&] { return alive_count(alpha) == 2; }));
  auto left = run_cli({"leave", "--agent", beta.socket()});
  ASSERT_EQ(left.exit_code, 0) << left.err;
  EXPECT_EQ(beta.process().wait(std::chrono::seconds(15)), 0);
  EXPECT_TRUE(eventually([&] { return member_state(alpha, "beta") == "left"; }));
}

TEST(Nodes, KeygenPrintsAFreshKeyThatAgentsAcceptAsTheirKeyring) {
  auto first = run_cli({"keygen"});
  auto second = run_cli({"keygen", "-o", "json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  std::string key = first.out.substr(0, first.out.find('\n'));
  EXPECT_EQ(key.size(), 44u) << key;  // 32 bytes of base64
  EXPECT_NE(json::parse(second.out)["key"], key);

  TempDir dir;
  std::string keyring = dir.path() + "/gossip.keys";
  std::ofstream(keyring) << key << '\n';
  ::chmod(keyring.c_str(), 0600);
  Agent alpha(dir, {.node = "alpha", .extra_args = {"--gossip-keyring", keyring}});
  Agent beta(
      dir, {.node = "beta", .extra_args = {"--gossip-keyring", keyring, "--join", seed_of(alpha)}});
  EXPECT_TRUE(eventually([&] { return alive_count(alpha) == 2 && alive_count(beta) == 2; }));
}
