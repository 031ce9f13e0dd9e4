// The operator's consensus surface on real agents: cordon/uncordon through the API and the
// CLI on a bootstrapped single-node cluster, the refusals (unknown node, double cordon,
// uncordon of a node that is not cordoned, unknown lease), node.cordoned in the journal and
// on /ws, a cordon that survives SIGTERM and kill -9 restarts without being journaled twice,
// and a node without quorum explaining why it has no leader and refusing writes with 503.
#include <csignal>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"
#include "tests/harness/ws.hpp"

using namespace constellation::testing;
using nlohmann::json;

namespace {

struct Reply {
  int status = 0;
  json body;
};

Reply call(const Agent& agent, const std::string& method, const std::string& path,
           const std::string& body = "") {
  auto response = http_request(
      UnixTarget{agent.socket()}, method, path, body,
      body.empty() ? std::map<std::string, std::string>{}
                   : std::map<std::string, std::string>{{"Content-Type", "application/json"}});
  if (!response) return {};
  return {response->status, json::parse(response->body, nullptr, false)};
}

std::vector<std::string> raft_args(const std::string& raft, bool bootstrap = true) {
  std::vector<std::string> args = {"--raft-enabled", "--raft", raft};
  if (bootstrap) args.push_back("--bootstrap");
  return args;
}

/// Waits until the agent is the ready raft leader (its barrier applied).
bool leader_ready(const Agent& agent) {
  return eventually(
      [&] {
        auto status = call(agent, "GET", "/api/v1/raft/status").body;
        return status.is_object() && status.value("ready", false);
      },
      std::chrono::seconds(20));
}

json cordons(const Agent& agent) {
  return call(agent, "GET", "/api/v1/leases").body.value("cordons", json::array());
}

/// The node.cordoned events in the agent's journal.
json cordon_events(const Agent& agent) {
  return call(agent, "GET", "/api/v1/events?kind=node.cordoned")
      .body.value("events", json::array());
}

std::map<std::string, std::string> cli_env(const Agent& agent) {
  return {{"CONSTELLATION_AGENT", agent.socket()}};
}

}  // namespace

TEST(RaftOps, CordonAndUncordonRoundTripThroughTheApi) {
  TempDir dir;
  Agent agent(
      dir, {.node = "alpha", .extra_args = raft_args("127.0.0.1:" + std::to_string(free_port()))});
  ASSERT_TRUE(leader_ready(agent));

  auto cordoned = call(agent, "POST", "/api/v1/nodes/alpha/cordon", R"({"reason":"disk swap"})");
  ASSERT_EQ(cordoned.status, 200) << cordoned.body.dump();
  EXPECT_EQ(cordoned.body["cordoned"]["reason"], "disk swap");
  EXPECT_EQ(cordoned.body["cordoned"]["actor"], "api:unix");
  auto listed = cordons(agent);
  ASSERT_EQ(listed.size(), 1u) << listed.dump();
  EXPECT_EQ(listed[0]["node"], "alpha");
  EXPECT_EQ(listed[0]["reason"], "disk swap");

  auto twice = call(agent, "POST", "/api/v1/nodes/alpha/cordon", R"({"reason":"again"})");
  EXPECT_EQ(twice.status, 409);
  const std::string message = twice.body["error"]["message"];
  EXPECT_NE(message.find("already cordoned by api:unix at "), std::string::npos) << message;
  EXPECT_NE(message.find("because disk swap"), std::string::npos) << message;

  auto uncordoned = call(agent, "POST", "/api/v1/nodes/alpha/uncordon");
  EXPECT_EQ(uncordoned.status, 200) << uncordoned.body.dump();
  EXPECT_EQ(cordons(agent), json::array());
  auto again = call(agent, "POST", "/api/v1/nodes/alpha/uncordon");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["error"]["message"], "node alpha is not cordoned; nothing to uncordon");
}

TEST(RaftOps, UnknownNodeMissingReasonAndUnknownLeaseAreRefusedWithTheirStatus) {
  TempDir dir;
  Agent agent(
      dir, {.node = "alpha", .extra_args = raft_args("127.0.0.1:" + std::to_string(free_port()))});
  ASSERT_TRUE(leader_ready(agent));
  auto unknown = call(agent, "POST", "/api/v1/nodes/ghost/cordon", R"({"reason":"r"})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["error"]["message"],
            "no node named 'ghost' in the cluster; known nodes: alpha");
  auto no_reason = call(agent, "POST", "/api/v1/nodes/alpha/cordon", "{}");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_NE(no_reason.body["error"]["message"].get<std::string>().find("--reason is required"),
            std::string::npos);
  auto lease = call(agent, "GET", "/api/v1/leases/lb-leadr");
  EXPECT_EQ(lease.status, 404);
  EXPECT_NE(lease.body["error"]["message"].get<std::string>().find("no lease named 'lb-leadr'"),
            std::string::npos);
  EXPECT_EQ(cordons(agent), json::array()) << "nothing was half-applied";

  auto cli = run_cli({"lease", "show", "lb-leadr"}, cli_env(agent));
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_NE(cli.err.find("no lease named 'lb-leadr'"), std::string::npos) << cli.err;
  auto cli_unknown = run_cli({"cordon", "ghost", "--reason", "r"}, cli_env(agent));
  EXPECT_EQ(cli_unknown.exit_code, 1);
  EXPECT_NE(cli_unknown.err.find("no node named 'ghost'"), std::string::npos) << cli_unknown.err;
  EXPECT_EQ(run_cli({"cordon", "alpha"}, cli_env(agent)).exit_code, 2);
}

TEST(RaftOps, CliCordonShowsInLeasesAndUncordonRemovesIt) {
  TempDir dir;
  Agent agent(
      dir, {.node = "alpha", .extra_args = raft_args("127.0.0.1:" + std::to_string(free_port()))});
  ASSERT_TRUE(leader_ready(agent));
  auto cordon = run_cli({"cordon", "alpha", "--reason", "kernel upgrade"}, cli_env(agent));
  EXPECT_EQ(cordon.exit_code, 0) << cordon.err;
  EXPECT_EQ(cordon.out, "alpha is cordoned: kernel upgrade\n");
  auto table = run_cli({"leases"}, cli_env(agent));
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("alpha     kernel upgrade  api:unix"), std::string::npos) << table.out;
  auto listed = run_cli({"leases", "-o", "json"}, cli_env(agent));
  EXPECT_EQ(json::parse(listed.out)["cordons"][0]["reason"], "kernel upgrade");
  auto twice = run_cli({"cordon", "alpha", "--reason", "again"}, cli_env(agent));
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("because kernel upgrade"), std::string::npos) << twice.err;
  auto uncordon = run_cli({"uncordon", "alpha"}, cli_env(agent));
  EXPECT_EQ(uncordon.exit_code, 0) << uncordon.err;
  EXPECT_EQ(json::parse(run_cli({"leases", "-o", "json"}, cli_env(agent)).out)["cordons"],
            json::array());
  auto status = run_cli({"raft", "status"}, cli_env(agent));
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("role          leader (ready)"), std::string::npos) << status.out;
  auto leader = call(agent, "GET", "/api/v1/raft/leader");
  EXPECT_EQ(leader.body["leader"]["node"], "alpha") << leader.body.dump();
}

TEST(RaftOps, CordonIsJournaledAndStreamedOnTheWebSocket) {
  TempDir dir;
  Agent agent(
      dir, {.node = "alpha", .extra_args = raft_args("127.0.0.1:" + std::to_string(free_port()))});
  ASSERT_TRUE(leader_ready(agent));
  WsClient ws(UnixTarget{agent.socket()});
  ASSERT_EQ((*ws.next())["type"], "hello");
  ASSERT_EQ((*ws.next())["type"], "snapshot");
  ASSERT_EQ(call(agent, "POST", "/api/v1/nodes/alpha/cordon", R"({"reason":"disk swap"})").status,
            200);
  std::optional<json> message;
  do message = ws.next(std::chrono::seconds(10));
  while (message &&
         !((*message)["type"] == "event" && (*message)["event"]["kind"] == "node.cordoned"));
  ASSERT_TRUE(message) << "no node.cordoned on /ws";
  EXPECT_EQ((*message)["event"]["subject"], "alpha");
  EXPECT_EQ((*message)["event"]["detail"]["reason"], "disk swap");
  EXPECT_EQ((*message)["event"]["detail"]["actor"], "api:unix");

  json events;
  ASSERT_TRUE(eventually([&] { return (events = cordon_events(agent)).size() == 1; },
                         std::chrono::seconds(10)))
      << events.dump();
  EXPECT_EQ(events[0]["node"], "alpha");
  EXPECT_EQ(events[0]["actor"], "api:unix");
  ASSERT_EQ(call(agent, "POST", "/api/v1/nodes/alpha/uncordon").status, 200);
  EXPECT_TRUE(eventually(
      [&] {
        return call(agent, "GET", "/api/v1/events?kind=node.uncordoned").body["events"].size() == 1;
      },
      std::chrono::seconds(10)));
}

TEST(RaftOps, CordonSurvivesSigtermAndKill9RestartsAndIsJournaledOnce) {
  TempDir dir;
  const auto args = raft_args("127.0.0.1:" + std::to_string(free_port()));
  auto agent = std::make_unique<Agent>(dir, Agent::Options{.node = "alpha", .extra_args = args});
  ASSERT_TRUE(leader_ready(*agent));
  ASSERT_EQ(call(*agent, "POST", "/api/v1/nodes/alpha/cordon", R"({"reason":"disk swap"})").status,
            200);
  ASSERT_TRUE(
      eventually([&] { return cordon_events(*agent).size() == 1; }, std::chrono::seconds(10)));
  EXPECT_EQ(agent->stop(), 0);

  agent = std::make_unique<Agent>(dir, Agent::Options{.node = "alpha", .extra_args = args});
  ASSERT_TRUE(leader_ready(*agent));
  json listed;
  ASSERT_TRUE(
      eventually([&] { return (listed = cordons(*agent)).size() == 1; }, std::chrono::seconds(10)))
      << "cordon lost by a clean restart";
  EXPECT_EQ(listed[0]["reason"], "disk swap");

  agent->process().signal(SIGKILL);
  agent->process().wait(std::chrono::seconds(10));
  agent = std::make_unique<Agent>(dir, Agent::Options{.node = "alpha", .extra_args = args});
  ASSERT_TRUE(leader_ready(*agent));
  ASSERT_TRUE(
      eventually([&] { return (listed = cordons(*agent)).size() == 1; }, std::chrono::seconds(10)))
      << "cordon lost by kill -9";
  EXPECT_EQ(listed[0]["actor"], "api:unix");
  // The restarts re-applied the log: the journal (which survives both) has the event once.
  // An uncordon journaled after them proves the replayed entries were processed by now.
  ASSERT_EQ(call(*agent, "POST", "/api/v1/nodes/alpha/uncordon").status, 200);
  ASSERT_TRUE(eventually(
      [&] {
        return call(*agent, "GET", "/api/v1/events?kind=node.uncordoned").body["events"].size() ==
               1;
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(cordon_events(*agent).size(), 1u) << cordon_events(*agent).dump();
}

TEST(RaftOps, NodeWithoutQuorumExplainsItAndRefusesCordonsWith503) {
  TempDir dir;
  Agent agent(dir, {.node = "beta",
                    .extra_args = raft_args("127.0.0.1:" + std::to_string(free_port()), false)});
  json leader;
  ASSERT_TRUE(eventually(
      [&] {
        leader = call(agent, "GET", "/api/v1/raft/leader").body;
        return leader.is_object() && leader.contains("no_leader_reason");
      },
      std::chrono::seconds(20)))
      << leader.dump();
  EXPECT_TRUE(leader["leader"].is_null());
  auto cordon = call(agent, "POST", "/api/v1/nodes/beta/cordon", R"({"reason":"r"})");
  EXPECT_EQ(cordon.status, 503) << cordon.body.dump();
  EXPECT_NE(cordon.body["error"]["message"].get<std::string>().find("no raft leader"),
            std::string::npos)
      << cordon.body.dump();
  auto status = run_cli({"raft", "status"}, cli_env(agent));
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("why no leader"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("waits to be added"), std::string::npos) << status.out;
  EXPECT_EQ(run_cli({"cordon", "beta", "--reason", "r"}, cli_env(agent)).exit_code, 69);
  EXPECT_EQ(cordons(agent), json::array());
}
