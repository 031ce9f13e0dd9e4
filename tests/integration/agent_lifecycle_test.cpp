// The agent's lifecycle as an operator and systemd see it: start, status, SIGHUP reload,
// SIGTERM graceful stop, kill -9 and restart with the journal intact, one agent per socket.
#include <csignal>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;
using nlohmann::json;

namespace {
json events_of(Agent& agent, const std::string& query = "") {
  auto response = http_request(UnixTarget{agent.socket()}, "GET", "/api/v1/events" + query);
  EXPECT_TRUE(response);
  if (!response) return json::array();
  EXPECT_EQ(response->status, 200) << response->body;
  return json::parse(response->body)["events"];
}

bool has_kind(const json& events, const std::string& kind) {
  for (const auto& event : events)
    if (event["kind"] == kind) return true;
  return false;
}

json wait_for_kind(Agent& agent, const std::string& kind) {
  for (int i = 0; i < 200; ++i) {
    auto events = events_of(agent);
    if (has_kind(events, kind)) return events;
    usleep(20'000);
  }
  return events_of(agent);
}
}  // namespace

TEST(AgentLifecycle, StartsAndReportsStatusThroughTheCli) {
  TempDir dir;
  Agent agent(dir, {.node = "alpha"});
  ASSERT_TRUE(agent.process().running()) << agent.process().log();
  auto result = run_cli({"status", "--agent", agent.socket(), "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto status = json::parse(result.out);
  EXPECT_EQ(status["node"], "alpha");
  EXPECT_EQ(status["pid"], agent.process().pid());
  EXPECT_EQ(status["api_version"], "v1");
}

TEST(AgentLifecycle, SigtermStopsGracefullyAndJournalsTheStop) {
  TempDir dir;
  {
    Agent agent(dir, {.node = "alpha"});
    wait_for_kind(agent, "agent.started");
    EXPECT_EQ(agent.stop(), 0) << agent.process().log();
  }
  Agent again(dir, {.node = "alpha"});
  auto events = wait_for_kind(again, "agent.started");
  EXPECT_TRUE(has_kind(events, "agent.stopping")) << events.dump();
}

TEST(AgentLifecycle, SighupReloadsLogLevelAndJournalsIt) {
  TempDir dir;
  std::string config = dir.file("config.yaml");
  std::ofstream(config) << "log_level: info\n";
  Agent agent(dir, {.node = "alpha", .extra_args = {"--config", config}});
  std::ofstream(config, std::ios::trunc) << "log_level: debug\n";
  agent.process().signal(SIGHUP);
  auto events = wait_for_kind(agent, "config.reloaded");
  bool found = false;
  for (const auto& event : events)
    if (event["kind"] == "config.reloaded")
      found = event["detail"]["changed"] == json::array({"log_level"});
  EXPECT_TRUE(found) << events.dump();
  EXPECT_TRUE(agent.process().running());
}

TEST(AgentLifecycle, ReloadWithBrokenFileKeepsRunningConfiguration) {
  TempDir dir;
  std::string config = dir.file("config.yaml");
  std::ofstream(config) << "log_level: info\n";
  Agent agent(dir, {.node = "alpha", .extra_args = {"--config", config}});
  std::ofstream(config, std::ios::trunc) << "log_level: loud\n";
  agent.process().signal(SIGHUP);
  auto events = wait_for_kind(agent, "config.reload_failed");
  ASSERT_TRUE(has_kind(events, "config.reload_failed")) << events.dump();
  auto health = http_request(UnixTarget{agent.socket()}, "GET", "/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(AgentLifecycle, KillNineThenRestartKeepsEveryJournaledEvent) {
  TempDir dir;
  std::vector<std::int64_t> ids;
  {
    Agent agent(dir, {.node = "alpha"});
    for (int i = 0; i < 20; ++i) {
      auto r =
          run_cli({"note", "--agent", agent.socket(), "-o", "json", "entry " + std::to_string(i)});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      ids.push_back(json::parse(r.out)["event"]["id"].get<std::int64_t>());
    }
    agent.process().signal(SIGKILL);
    EXPECT_EQ(agent.process().wait(std::chrono::seconds(5)), 128 + SIGKILL);
  }
  Agent again(dir, {.node = "alpha"});
  auto events = events_of(again, "?kind=note&limit=1000");
  std::vector<std::int64_t> found;
  for (const auto& event : events) found.push_back(event["id"]);
  EXPECT_EQ(found, ids);
}

TEST(AgentLifecycle, SecondAgentOnTheSameSocketIsRefused) {
  TempDir dir;
  Agent first(dir, {.node = "alpha"});
  auto second =
      run_cli({"agent", "--node", "beta", "--data-dir", dir.file("beta"), "--socket",
               first.socket(), "--api", "127.0.0.1:" + std::to_string(free_port()), "--gossip",
               "127.0.0.1:0", "--config", dir.file("alpha/empty-config.yaml")},
              {}, std::chrono::seconds(10));
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.err.find(first.socket()), std::string::npos) << second.err;
  EXPECT_TRUE(first.process().running());
}
