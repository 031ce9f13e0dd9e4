// Bad values and bad files: every error names where the value came from (file and line,
// environment variable or flag), the value and the expected form, and nothing is loaded.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/config/config_fixture.hpp"

namespace constellation::config {
namespace {

using testing::inputs;
using testing::load_error;
using testing::TempDir;

MATCHER_P(Contains, part, "") {
  return arg.find(part) != std::string::npos;
}

TEST(FileErrors, UnknownKeyNamesFileLineAndSuggestsTheClosestKey) {
  TempDir dir;
  std::string file = dir.write("c.yaml", "domain: x.example\n\ndata_dri: /x\n");
  auto loaded = load(inputs({"--config", file}));
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::bad_config);
  EXPECT_EQ(loaded.error().message,
            file + ": line 3: unknown key 'data_dri' (did you mean 'data_dir'?)");
}

TEST(FileErrors, UnknownKeyFarFromAnyOptionHasNoSuggestion) {
  TempDir dir;
  std::string file = dir.write("c.yaml", "zzzzzzzzzz: 1\n");
  EXPECT_EQ(load_error(inputs({"--config", file})), file + ": line 1: unknown key 'zzzzzzzzzz'");
}

TEST(FileErrors, UnknownKeyInJsonNamesTheFileWithoutALine) {
  TempDir dir;
  std::string file = dir.write("c.json", R"({"log_levle": "debug"})");
  EXPECT_EQ(load_error(inputs({"--config", file})),
            file + ": unknown key 'log_levle' (did you mean 'log_level'?)");
}

TEST(FileErrors, BadValueNamesFileLineKeyValueAndExpectedForm) {
  TempDir dir;
  std::string file = dir.write("c.yaml", "log_level: info\njournal_max_age: 5 fortnights\n");
  std::string error = load_error(inputs({"--config", file}));
  EXPECT_THAT(error, Contains(file + ": line 2: option 'journal_max_age'"));
  EXPECT_THAT(error, Contains("'5 fortnights'"));
  EXPECT_THAT(error, Contains("use e.g. 30s"));
}

TEST(FileErrors, BadEndpointInFileIsRefused) {
  TempDir dir;
  std::string file = dir.write("c.yaml", "gossip: 7946\n");
  std::string error = load_error(inputs({"--config", file}));
  EXPECT_THAT(error, Contains(file + ": line 1: option 'gossip'"));
  EXPECT_THAT(error, Contains("did you mean ':7946'"));
}

TEST(FileErrors, BadBytesFromEnvironmentNamesTheVariable) {
  std::string error = load_error(inputs({}, {{"CONSTELLATION_JOURNAL_MAX_BYTES", "lots"}}));
  EXPECT_THAT(error, Contains("environment variable CONSTELLATION_JOURNAL_MAX_BYTES"));
  EXPECT_THAT(error, Contains("'lots'"));
  EXPECT_THAT(error, Contains("64MiB"));
}

TEST(FileErrors, BadValueFromFlagNamesTheFlag) {
  std::string error = load_error(inputs({"--api-body-limit", "12 apples"}));
  EXPECT_THAT(error, Contains("flag --api-body-limit: option 'api_body_limit'"));
  EXPECT_THAT(error, Contains("'12 apples'"));
}

TEST(FileErrors, YamlSyntaxErrorNamesTheLine) {
  TempDir dir;
  std::string file = dir.write("c.yaml", "domain: a\napi: [unclosed\n");
  std::string error = load_error(inputs({"--config", file}));
  EXPECT_THAT(error, Contains(file + ": line "));
  EXPECT_THAT(error, Contains("YAML syntax error"));
}

TEST(FileErrors, JsonSyntaxErrorNamesTheLine) {
  TempDir dir;
  std::string file = dir.write("c.json", "{\n\"domain\": \"a\",\n\"api\" 1\n}");
  std::string error = load_error(inputs({"--config", file}));
  EXPECT_THAT(error, Contains(file + ": line 3: JSON syntax error"));
}

TEST(FileErrors, NestedMappingAndTopLevelListAreRefused) {
  TempDir dir;
  std::string nested = dir.write("n.yaml", "api:\n  host: x\n");
  EXPECT_THAT(load_error(inputs({"--config", nested})), Contains("got a mapping"));
  std::string list = dir.write("l.yaml", "- a\n- b\n");
  EXPECT_THAT(load_error(inputs({"--config", list})), Contains("expected a mapping"));
}

TEST(FileErrors, ListForAScalarOptionIsRefused) {
  TempDir dir;
  std::string file = dir.write("c.yaml", "data_dir: [/a, /b]\n");
  EXPECT_THAT(load_error(inputs({"--config", file})), Contains("got a list"));
}

TEST(FileErrors, DuplicateKeysAreRefusedInBothFormats) {
  TempDir dir;
  std::string yaml = dir.write("d.yaml", "domain: a\ndomain: b\n");
  EXPECT_THAT(load_error(inputs({"--config", yaml})), Contains("line 2: duplicate key 'domain'"));
  std::string json = dir.write("d.json", R"({"domain": "a", "domain": "b"})");
  EXPECT_THAT(load_error(inputs({"--config", json})), Contains("duplicate key 'domain'"));
}

TEST(FileErrors, ConfigKeyInsideTheFileIsRefused) {
  TempDir dir;
  std::string file = dir.write("c.yaml", "config: /elsewhere.yaml\n");
  EXPECT_THAT(load_error(inputs({"--config", file})),
              Contains("'config' cannot be set inside the config file"));
}

TEST(Validation, RejectsUnknownLogLevelAndFormatListingTheChoices) {
  std::string level = load_error(inputs({}, {{"LOG_LEVEL", "loud"}}));
  EXPECT_THAT(level, Contains("environment variable LOG_LEVEL: option 'log_level'"));
  EXPECT_THAT(level, Contains("trace, debug, info, warn, error or off"));
  EXPECT_THAT(load_error(inputs({"--log-format", "xml"})), Contains("text or json"));
}

TEST(Validation, AcceptsEveryDocumentedLogLevel) {
  for (const char* level : {"trace", "debug", "info", "warn", "error", "off"})
    EXPECT_TRUE(load(inputs({"--log-level", level}))) << level;
}

TEST(Validation, EnforcesNumericLimits) {
  EXPECT_THAT(load_error(inputs({"--api-body-limit", "1000"})), Contains("1KiB"));
  EXPECT_TRUE(load(inputs({"--api-body-limit", "1KiB"})));
  EXPECT_THAT(load_error(inputs({"--worker-threads", "0"})), Contains("1 to 64"));
  EXPECT_THAT(load_error(inputs({"--worker-threads", "65"})), Contains("1 to 64"));
  EXPECT_TRUE(load(inputs({"--worker-threads", "64"})));
  EXPECT_THAT(load_error(inputs({"--cron-interval", "9ms"})), Contains("10ms"));
  EXPECT_TRUE(load(inputs({"--cron-interval", "10ms"})));
  EXPECT_THAT(load_error(inputs({"--ws-queue-limit", "15"})), Contains("16"));
  EXPECT_TRUE(load(inputs({"--ws-queue-limit", "16"})));
  EXPECT_THAT(load_error(inputs({"--worker-threads", "99999999999"})), Contains("1 to 64"));
  EXPECT_THAT(load_error(inputs({"--worker-threads", "two"})), Contains("not a whole number"));
}

TEST(Validation, RejectsAnEmptyNodeNameNamingItsSource) {
  LoadInputs in = inputs();
  in.hostname = [] { return std::string(); };
  std::string error = load_error(in);
  EXPECT_THAT(error, Contains("default value: option 'node'"));
  EXPECT_THAT(error, Contains("TS_HOSTNAME"));
  EXPECT_THAT(load_error(inputs({"--node", "bad name"})), Contains("character ' '"));
}

TEST(Validation, RequiresAbsoluteDirectories) {
  EXPECT_THAT(load_error(inputs({}, {{"DATA_DIR", "relative/dir"}})),
              Contains("environment variable DATA_DIR: option 'data_dir'"));
  EXPECT_THAT(load_error(inputs({"--socket", "agent.sock"})), Contains("absolute"));
}

TEST(Validation, ChecksPublicIpAndZoneIdSyntax) {
  EXPECT_EQ(load(inputs({}, {{"PUBLIC_IP", "2001:db8::7"}})).value().config.public_ip,
            "2001:db8::7");
  EXPECT_TRUE(load(inputs({"--public-ip", "203.0.113.7"})));
  EXPECT_THAT(load_error(inputs({"--public-ip", "example.com"})),
              Contains("flag --public-ip: option 'public_ip': 'example.com' is not an IP address"));
  EXPECT_THAT(load_error(inputs({}, {{"CLOUDFLARE_ZONE_ID", "abc/def"}})),
              Contains("environment variable CLOUDFLARE_ZONE_ID"));
}

TEST(Validation, ErrorLeavesNothingLoadedEvenWhenEarlierLayersWereValid) {
  TempDir dir;
  std::string file = dir.write("c.yaml", "domain: fine.example\n");
  auto loaded = load(inputs({"--config", file, "--worker-threads", "0"}));
  ASSERT_FALSE(loaded);
  EXPECT_EQ(exit_code(loaded.error().code), 78);
}

}  // namespace
}  // namespace constellation::config
