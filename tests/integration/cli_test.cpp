// One-shot commands against a live agent: exit codes, JSON output, an unreachable agent,
// "did you mean", events filters and doctor.
#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/process.hpp"

using namespace constellation::testing;
using nlohmann::json;

TEST(Cli, UnreachableAgentExits69WithOneLineNamingTheAddress) {
  TempDir dir;
  auto result = run_cli({"status", "--agent", dir.file("no-agent.sock")});
  EXPECT_EQ(result.exit_code, 69);
  EXPECT_NE(result.err.find(dir.file("no-agent.sock")), std::string::npos) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

TEST(Cli, AgentAddressComesFromEnvironment) {
  TempDir dir;
  Agent agent(dir, {.node = "envnode"});
  auto result = run_cli({"status", "-o", "json"}, {{"CONSTELLATION_AGENT", agent.socket()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out)["node"], "envnode");
}

TEST(Cli, AgentReachableOverHttpUrl) {
  TempDir dir;
  Agent agent(dir, {.node = "tcpnode"});
  auto result = run_cli({"status", "--agent", agent.http_base(), "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out)["node"], "tcpnode");
}

TEST(Cli, MistypedCommandSuggestsAndExits2) {
  auto result = run_cli({"stauts"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("status"), std::string::npos) << result.err;
}

TEST(Cli, EventsFiltersByKindAndPrintsJson) {
  TempDir dir;
  Agent agent(dir);
  ASSERT_EQ(run_cli({"note", "--agent", agent.socket(), "--subject", "web", "hello"}).exit_code, 0);
  auto result = run_cli({"events", "--agent", agent.socket(), "--kind", "note", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto events = json::parse(result.out);
  ASSERT_TRUE(events.is_array()) << result.out;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["subject"], "web");
  auto bad = run_cli({"events", "--agent", agent.socket(), "--since", "yesterday"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("yesterday"), std::string::npos) << bad.err;
}

TEST(Cli, DoctorReportsAReachableAgent) {
  TempDir dir;
  Agent agent(dir);
  auto result = run_cli({"doctor", "--agent", agent.socket(), "-o", "json", "--data-dir",
                         agent.data_dir(), "--secrets-path", agent.data_dir() + "/secrets",
                         "--config", agent.data_dir() + "/empty-config.yaml"});
  auto report = json::parse(result.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << result.out << result.err;
  bool reachable = false;
  for (const auto& check : report["checks"])
    if (check["name"].get<std::string>().find("agent") != std::string::npos)
      reachable = check["result"] == "ok";
  EXPECT_TRUE(reachable) << result.out;
}

TEST(Cli, ConfigCheckRejectsBadFileWith78) {
  TempDir dir;
  std::string config = dir.file("bad.yaml");
  std::ofstream(config) << "api: not-an-endpoint\n";
  auto result = run_cli({"config", "check", "--config", config});
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("api"), std::string::npos) << result.err;
}

namespace {
json doctor_check(const json& report, const std::string& name) {
  for (const auto& check : report["checks"])
    if (check["name"] == name) return check;
  return json();
}
}  // namespace

TEST(Cli, DoctorFailsAPortHeldByAnotherProcessAndNamesTheOption) {
  TempDir dir;
  Agent holder(dir, {.node = "holder"});  // holds its API port; doctor looks at another agent
  std::ofstream(dir.file("empty.yaml")) << "\n";
  auto result = run_cli({"doctor", "--agent", dir.file("nobody.sock"), "-o", "json", "--config",
                         dir.file("empty.yaml"), "--data-dir", dir.file("other"), "--api",
                         "127.0.0.1:" + std::to_string(holder.api_port())});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  auto check = doctor_check(json::parse(result.out), "port:api");
  EXPECT_EQ(check["result"], "fail") << result.out;
  EXPECT_NE(check["message"].get<std::string>().find("--api"), std::string::npos) << check;
}

TEST(Cli, DoctorAcceptsThePortOfTheRunningAgent) {
  TempDir dir;
  Agent agent(dir);
  auto result = run_cli({"doctor", "--agent", agent.socket(), "-o", "json", "--config",
                         agent.data_dir() + "/empty-config.yaml", "--data-dir", agent.data_dir(),
                         "--api", "127.0.0.1:" + std::to_string(agent.api_port())});
  auto check = doctor_check(json::parse(result.out), "port:api");
  EXPECT_EQ(check["result"], "ok") << result.out;
}

TEST(Cli, DoctorReportsADockerHostThatIsNotASocket) {
  TempDir dir;
  std::ofstream(dir.file("docker.sock")) << "not a socket";
  std::ofstream(dir.file("empty.yaml")) << "\n";
  auto result = run_cli({"doctor", "-o", "json", "--config", dir.file("empty.yaml")},
                        {{"DOCKER_HOST", "unix://" + dir.file("docker.sock")}});
  auto check = doctor_check(json::parse(result.out), "docker");
  EXPECT_EQ(check["result"], "fail") << result.out;
  EXPECT_NE(check["message"].get<std::string>().find("not a socket"), std::string::npos);
  auto missing = run_cli({"doctor", "-o", "json", "--config", dir.file("empty.yaml")},
                         {{"DOCKER_HOST", "unix://" + dir.file("absent.sock")}});
  EXPECT_EQ(doctor_check(json::parse(missing.out), "docker")["result"], "warn") << missing.out;
}
