// Bad configuration stops start-up with the file, the key, the reason and exit 78; unsafe
// listener and secret settings are refused before anything listens.
#include <sys/stat.h>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/harness/process.hpp"

using namespace constellation::testing;

namespace {
std::vector<std::string> agent_args(const TempDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args{"agent",
                                "--node",
                                "alpha",
                                "--data-dir",
                                dir.file("data"),
                                "--socket",
                                dir.file("agent.sock"),
                                "--secrets-path",
                                dir.file("secrets"),
                                "--api",
                                "127.0.0.1:" + std::to_string(free_port()),
                                "--gossip",
                                "127.0.0.1:0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}
}  // namespace

TEST(AgentStartup, BadConfigValueExits78NamingFileAndKey) {
  TempDir dir;
  std::string config = dir.file("config.yaml");
  std::ofstream(config) << "node: alpha\njournal_max_age: forever\n";
  auto result = run_cli(agent_args(dir, {"--config", config}));
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find(config), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("journal_max_age"), std::string::npos) << result.err;
}

TEST(AgentStartup, UnknownConfigKeySuggestsTheRightOne) {
  TempDir dir;
  std::string config = dir.file("config.json");
  std::ofstream(config) << R"({"log_levle": "debug"})";
  auto result = run_cli(agent_args(dir, {"--config", config}));
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("log_level"), std::string::npos) << result.err;
}

TEST(AgentStartup, AnUnknownGossipTimerExits78NamingItAndAGoodOneIsUsed) {
  TempDir dir;
  auto bad = run_cli(agent_args(dir, {"--docker=false", "--gossip-timing", "probe_timeout=100ms",
                                      "--gossip-timing", "probe_intervall=1s"}));
  EXPECT_EQ(bad.exit_code, 78);
  EXPECT_NE(bad.err.find("probe_intervall"), std::string::npos) << bad.err;
  auto inverted =
      run_cli(agent_args(dir, {"--docker=false", "--gossip-timing", "probe_timeout=2s"}));
  EXPECT_EQ(inverted.exit_code, 78);
  EXPECT_NE(inverted.err.find("probe timeout (2000 ms)"), std::string::npos) << inverted.err;
  Agent tuned(dir, {.node = "tuned", .extra_args = {"--gossip-timing", "probe_interval=250ms"}});
  EXPECT_TRUE(tuned.wait_ready()) << tuned.process().log();
}

TEST(AgentStartup, MissingExplicitConfigFileExits78) {
  TempDir dir;
  auto result = run_cli(agent_args(dir, {"--config", dir.file("nope.yaml")}));
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("nope.yaml"), std::string::npos) << result.err;
}

TEST(AgentStartup, NonLoopbackApiWithoutTokenIsRefused) {
  TempDir dir;
  std::ofstream(dir.file("c.yaml")) << "{}\n";
  auto result = run_cli(agent_args(dir, {"--config", dir.file("c.yaml"), "--api", "0.0.0.0:0"}));
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("token"), std::string::npos) << result.err;
}

TEST(AgentStartup, TokenFileReadableByOthersIsRefusedWithFix) {
  TempDir dir;
  std::ofstream(dir.file("c.yaml")) << "{}\n";
  mkdir(dir.file("secrets").c_str(), 0700);
  std::ofstream(dir.file("secrets/api-token")) << "s3cret-token\n";
  chmod(dir.file("secrets/api-token").c_str(), 0644);
  auto result = run_cli(agent_args(dir, {"--config", dir.file("c.yaml")}));
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("chmod 600"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("s3cret-token"), std::string::npos) << "secret leaked to stderr";
}

TEST(AgentStartup, UnknownFlagExits2WithSuggestion) {
  TempDir dir;
  auto result = run_cli(agent_args(dir, {"--dta-dir", "/tmp"}));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--data-dir"), std::string::npos) << result.err;
}
