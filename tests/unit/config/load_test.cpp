// Layering: defaults <- file <- environment <- flags, with every option's origin recorded,
// the port-only environment variables, JSON files and which missing files are fine.
#include <gtest/gtest.h>

#include "tests/unit/config/config_fixture.hpp"

namespace constellation::config {
namespace {

using testing::inputs;
using testing::load_error;
using testing::TempDir;

TEST(Load, WithNothingSetUsesTheTableDefaultsAndTheHostName) {
  auto loaded = load(inputs()).value();
  const Config& c = loaded.config;
  EXPECT_EQ(c.node, "testhost");
  EXPECT_EQ(c.data_dir, "/var/lib/constellation");
  EXPECT_EQ(c.secrets_path, "/etc/constellation/secrets");
  EXPECT_EQ(c.api.to_string(), "127.0.0.1:8080");
  EXPECT_EQ(c.gossip.to_string(), "0.0.0.0:7946");
  EXPECT_EQ(c.socket_path, "/run/constellation/agent.sock");
  EXPECT_EQ(c.journal_max_bytes, 64ll << 20);
  EXPECT_EQ(c.journal_max_age, std::chrono::hours(24 * 30));
  EXPECT_EQ(c.config_file, "");
  EXPECT_EQ(origin_text(loaded.origins.at("data_dir")), "default");
  EXPECT_EQ(loaded.origins.size(), option_table().size());
}

TEST(Load, FlagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults) {
  TempDir dir;
  std::string file = dir.write("c.yaml",
                               "# comment\n"
                               "data_dir: /from/file\n"
                               "domain: file.example\n"
                               "log_level: debug\n"
                               "worker_threads: 4\n");
  auto loaded = load(inputs({"--config", file, "--data-dir", "/from/flag"},
                            {{"DATA_DIR", "/from/env"}, {"DOMAIN", "env.example"}}))
                    .value();
  const Config& c = loaded.config;
  EXPECT_EQ(c.data_dir, "/from/flag");
  EXPECT_EQ(c.domain, "env.example");
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.worker_threads, 4);
  EXPECT_EQ(c.cron_interval, std::chrono::seconds(1));
  EXPECT_EQ(c.config_file, file);
  EXPECT_EQ(origin_text(loaded.origins.at("data_dir")), "flag:--data-dir");
  EXPECT_EQ(origin_text(loaded.origins.at("domain")), "env:DOMAIN");
  EXPECT_EQ(origin_text(loaded.origins.at("log_level")), "file:" + file + ":4");
  EXPECT_EQ(loaded.origins.at("log_level").line, 4);
  EXPECT_EQ(origin_text(loaded.origins.at("cron_interval")), "default");
  EXPECT_EQ(origin_text(loaded.origins.at("config")), "flag:--config");
}

TEST(Load, TsHostnameNamesTheNodeUnlessAFlagDoes) {
  EXPECT_EQ(load(inputs({}, {{"TS_HOSTNAME", "ts-node"}})).value().config.node, "ts-node");
  EXPECT_EQ(load(inputs({"--node", "flag-node"}, {{"TS_HOSTNAME", "ts-node"}})).value().config.node,
            "flag-node");
}

TEST(Load, ApiPortReplacesOnlyThePortOfTheApiAddress) {
  TempDir dir;
  std::string file = dir.write("c.yaml", "api: 10.1.2.3:9000\n");
  auto loaded = load(inputs({"--config", file}, {{"API_PORT", "9191"}})).value();
  EXPECT_EQ(loaded.config.api.host, "10.1.2.3");
  EXPECT_EQ(loaded.config.api.port, 9191);
  EXPECT_EQ(origin_text(loaded.origins.at("api")), "env:API_PORT");

  auto from_default = load(inputs({}, {{"API_PORT", "18080"}})).value();
  EXPECT_EQ(from_default.config.api.to_string(), "127.0.0.1:18080");
}

TEST(Load, PortEnvironmentVariableRejectsAFullAddress) {
  std::string error = load_error(inputs({}, {{"GOSSIP_PORT", "0.0.0.0:7000"}}));
  EXPECT_NE(error.find("environment variable GOSSIP_PORT"), std::string::npos) << error;
  EXPECT_NE(error.find("'0.0.0.0:7000' is not a port number"), std::string::npos) << error;
}

TEST(Load, EmptyEnvironmentVariablesCountAsUnset) {
  auto loaded = load(inputs({}, {{"DATA_DIR", ""}, {"API_PORT", ""}})).value();
  EXPECT_EQ(loaded.config.data_dir, "/var/lib/constellation");
  EXPECT_EQ(origin_text(loaded.origins.at("data_dir")), "default");
}

TEST(Load, OtherOptionsReadConstellationPrefixedEnvironmentVariables) {
  auto loaded = load(inputs({}, {{"CONSTELLATION_API_BODY_LIMIT", "2MiB"},
                                 {"CONSTELLATION_JOIN", "a:7946, b:7946"},
                                 {"CONSTELLATION_BOOTSTRAP", "yes"}}))
                    .value();
  EXPECT_EQ(loaded.config.api_body_limit, 2 << 20);
  EXPECT_EQ(loaded.config.join, (std::vector<std::string>{"a:7946", "b:7946"}));
  EXPECT_TRUE(loaded.config.bootstrap);
}

TEST(Load, ReadsJsonConfigByExtensionWithoutLineNumbers) {
  TempDir dir;
  std::string file = dir.write("c.json",
                               R"({"data_dir": "/json/data", "worker_threads": 8,
                                   "bootstrap": true, "join": ["a", "b:1"],
                                   "journal_max_bytes": "1GiB"})");
  auto loaded = load(inputs({"--config", file})).value();
  EXPECT_EQ(loaded.config.data_dir, "/json/data");
  EXPECT_EQ(loaded.config.worker_threads, 8);
  EXPECT_TRUE(loaded.config.bootstrap);
  EXPECT_EQ(loaded.config.join, (std::vector<std::string>{"a", "b:1"}));
  EXPECT_EQ(loaded.config.journal_max_bytes, 1ll << 30);
  EXPECT_EQ(origin_text(loaded.origins.at("data_dir")), "file:" + file);
}

TEST(Load, ReadsYamlListsAndDurations) {
  TempDir dir;
  std::string file = dir.write("c.yaml",
                               "join:\n  - 10.0.0.1\n  - 10.0.0.2:7946\n"
                               "journal_max_age: 7d\ncron_interval: 250ms\n");
  auto c = load(inputs({"--config", file})).value().config;
  EXPECT_EQ(c.join, (std::vector<std::string>{"10.0.0.1", "10.0.0.2:7946"}));
  EXPECT_EQ(c.journal_max_age, std::chrono::hours(24 * 7));
  EXPECT_EQ(c.cron_interval, std::chrono::milliseconds(250));
}

TEST(Load, MissingDefaultFileIsFineButMissingNamedFileIsAnError) {
  TempDir dir;
  std::string absent = dir.path() + "/absent.yaml";
  auto quiet = load(inputs({}, {}, absent));
  ASSERT_TRUE(quiet) << quiet.error().message;
  EXPECT_EQ(quiet->config.config_file, "");

  auto by_flag = load(inputs({"--config", absent}));
  ASSERT_FALSE(by_flag);
  EXPECT_EQ(by_flag.error().code, ErrorCode::bad_config);
  EXPECT_NE(by_flag.error().message.find(absent + " not found"), std::string::npos);
  EXPECT_NE(by_flag.error().message.find("--config"), std::string::npos);

  auto by_env = load(inputs({}, {{"CONFIG_PATH", absent}}));
  ASSERT_FALSE(by_env);
  EXPECT_NE(by_env.error().message.find("CONFIG_PATH"), std::string::npos);
}

TEST(Load, ReadsTheDefaultFileWhenItExists) {
  TempDir dir;
  std::string file = dir.write("config.yaml", "domain: default.example\n");
  auto loaded = load(inputs({}, {}, file)).value();
  EXPECT_EQ(loaded.config.domain, "default.example");
  EXPECT_EQ(loaded.config.config_file, file);
  EXPECT_EQ(origin_text(loaded.origins.at("config")), "default");
}

TEST(Load, ConfigPathEnvironmentChoosesTheFileAndTheFlagOverridesIt) {
  TempDir dir;
  std::string env_file = dir.write("env.yaml", "domain: env-file\n");
  std::string flag_file = dir.write("flag.yaml", "domain: flag-file\n");
  EXPECT_EQ(load(inputs({}, {{"CONFIG_PATH", env_file}})).value().config.domain, "env-file");
  EXPECT_EQ(
      load(inputs({"--config=" + flag_file}, {{"CONFIG_PATH", env_file}})).value().config.domain,
      "flag-file");
}

TEST(Load, EmptyFileMeansDefaults) {
  TempDir dir;
  std::string file = dir.write("c.yaml", "# nothing here\n");
  auto loaded = load(inputs({"--config", file})).value();
  EXPECT_EQ(loaded.config.data_dir, "/var/lib/constellation");
  EXPECT_EQ(loaded.config.config_file, file);
}

TEST(Load, ProcessInputsReadTheRealEnvironment) {
  ::setenv("CONSTELLATION_TEST_PROBE_VARIABLE", "probe", 1);
  auto in = inputs_from_process({"--node", "x"});
  EXPECT_EQ(in.args, (std::vector<std::string>{"--node", "x"}));
  EXPECT_EQ(in.getenv("CONSTELLATION_TEST_PROBE_VARIABLE"), std::optional<std::string>("probe"));
  EXPECT_EQ(in.getenv("CONSTELLATION_TEST_SURELY_UNSET_VARIABLE"), std::nullopt);
  ::unsetenv("CONSTELLATION_TEST_PROBE_VARIABLE");
}

TEST(Load, GossipProfileMustBeFastOrLanAndPayloadStaysInRange) {
  auto fast = load(inputs());
  ASSERT_TRUE(fast) << fast.error().message;
  EXPECT_EQ(fast->config.gossip_profile, "fast");
  EXPECT_EQ(fast->config.gossip_max_payload, 1232);
  auto lan = load(inputs({"--gossip-profile", "lan"}));
  ASSERT_TRUE(lan) << lan.error().message;
  EXPECT_EQ(lan->config.gossip_profile, "lan");

  auto unknown = load(inputs({"--gossip-profile", "wan"}));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::bad_config);
  EXPECT_NE(unknown.error().message.find("gossip_profile"), std::string::npos);
  auto tiny = load(inputs({"--gossip-max-payload", "100"}));
  ASSERT_FALSE(tiny);
  EXPECT_NE(tiny.error().message.find("gossip_max_payload"), std::string::npos);
}

TEST(Load, RaftVotersMustBeAnOddNumberAndTheGraceADuration) {
  auto defaults = load(inputs());
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_EQ(defaults->config.raft_voters, 3);
  EXPECT_EQ(defaults->config.raft_dead_voter_grace, std::chrono::seconds(30));
  auto five = load(inputs({"--raft-voters", "5", "--raft-dead-voter-grace", "2s"}));
  ASSERT_TRUE(five) << five.error().message;
  EXPECT_EQ(five->config.raft_voters, 5);
  EXPECT_EQ(five->config.raft_dead_voter_grace, std::chrono::seconds(2));

  auto even = load(inputs({"--raft-voters", "4"}));
  ASSERT_FALSE(even);
  EXPECT_EQ(even.error().code, ErrorCode::bad_config);
  EXPECT_NE(even.error().message.find("option 'raft_voters': 4 voters: use an odd number"),
            std::string::npos)
      << even.error().message;
  auto many = load(inputs({"--raft-voters", "9"}));
  ASSERT_FALSE(many);
  EXPECT_NE(many.error().message.find("raft_voters"), std::string::npos);
}

TEST(Load, DiscoveryIsOffByDefaultAndReadsItsOptionsFromEveryLayer) {
  auto defaults = load(inputs()).value().config;
  EXPECT_EQ(defaults.discovery, "none");
  EXPECT_EQ(defaults.tailscale_socket, "/var/run/tailscale/tailscaled.sock");
  EXPECT_EQ(defaults.tailscale_command, "");
  EXPECT_EQ(defaults.discovery_interval, std::chrono::seconds(60));
  EXPECT_EQ(defaults.discovery_port, 0);
  EXPECT_EQ(defaults.gossip_advertise, "");

  TempDir dir;
  std::string file = dir.write("c.yaml",
                               "discovery: tailscale\ndiscovery_tag: tag:constellation\n"
                               "discovery_interval: 30s\ntailscale_socket: /run/ts.sock\n");
  auto loaded = load(inputs({"--config", file, "--discovery-name-pattern", "web-*",
                             "--gossip-advertise", "100.64.0.5:7946"},
                            {{"CONSTELLATION_TAILSCALE_COMMAND", "/usr/bin/tailscale"},
                             {"CONSTELLATION_DISCOVERY_PORT", "17946"}}));
  ASSERT_TRUE(loaded) << loaded.error().message;
  const Config& c = loaded->config;
  EXPECT_EQ(c.discovery, "tailscale");
  EXPECT_EQ(c.discovery_tag, "tag:constellation");
  EXPECT_EQ(c.discovery_interval, std::chrono::seconds(30));
  EXPECT_EQ(c.tailscale_socket, "/run/ts.sock");
  EXPECT_EQ(c.discovery_name_pattern, "web-*");
  EXPECT_EQ(c.gossip_advertise, "100.64.0.5:7946");
  EXPECT_EQ(c.tailscale_command, "/usr/bin/tailscale");
  EXPECT_EQ(c.discovery_port, 17946);
}

TEST(Load, RejectsAnUnknownDiscoveryModeABadAdvertiseAddressAndATinyInterval) {
  auto mode = load(inputs({"--discovery", "consul"}));
  ASSERT_FALSE(mode);
  EXPECT_EQ(mode.error().code, ErrorCode::bad_config);
  EXPECT_NE(mode.error().message.find("expected none or tailscale"), std::string::npos);
  for (std::string bad : {"node.example.org", "[::1", "host:7946"}) {
    auto advertise = load(inputs({"--gossip-advertise", bad}));
    ASSERT_FALSE(advertise) << bad;
    EXPECT_NE(advertise.error().message.find("gossip_advertise"), std::string::npos);
  }
  EXPECT_TRUE(load(inputs({"--gossip-advertise", "[fd7a:115c:a1e0::5]:7946"})));
  EXPECT_TRUE(load(inputs({"--gossip-advertise", "fd7a:115c:a1e0::5"})));
  auto interval = load(inputs({"--discovery-interval", "100ms"}));
  ASSERT_FALSE(interval);
  EXPECT_NE(interval.error().message.find("discovery_interval"), std::string::npos);
  auto socket = load(inputs({"--tailscale-socket", "tailscaled.sock"}));
  ASSERT_FALSE(socket);
  EXPECT_NE(socket.error().message.find("tailscale_socket"), std::string::npos);
}

}  // namespace
}  // namespace constellation::config
