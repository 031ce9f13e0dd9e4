// Command-line flags: both spellings, "--", repeatable and bare boolean flags, and the
// invalid_argument errors for unknown flags and missing values.
#include <gtest/gtest.h>

#include "tests/unit/config/config_fixture.hpp"

namespace constellation::config {
namespace {

using testing::inputs;

TEST(Flags, AcceptsFlagEqualsValueAndFlagSpaceValue) {
  auto c = load(inputs({"--data-dir=/a", "--api", "127.0.0.1:9999", "--journal-max-age=2h"}))
               .value()
               .config;
  EXPECT_EQ(c.data_dir, "/a");
  EXPECT_EQ(c.api.port, 9999);
  EXPECT_EQ(c.journal_max_age, std::chrono::hours(2));
}

TEST(Flags, ValueMayContainEqualsSigns) {
  EXPECT_EQ(load(inputs({"--domain=a=b"})).value().config.domain, "a=b");
}

TEST(Flags, DoubleDashEndsFlagsAndTheRestIsPositional) {
  auto loaded = load(inputs({"--node", "n1", "extra", "--", "--data-dir", "x"})).value();
  EXPECT_EQ(loaded.config.node, "n1");
  EXPECT_EQ(loaded.config.data_dir, "/var/lib/constellation");
  EXPECT_EQ(loaded.positional, (std::vector<std::string>{"extra", "--data-dir", "x"}));
}

TEST(Flags, HelpIsPassedThroughForTheCaller) {
  auto loaded = load(inputs({"--help", "-h"})).value();
  EXPECT_EQ(loaded.positional, (std::vector<std::string>{"--help", "-h"}));
}

TEST(Flags, JoinIsRepeatableAndReplacesTheLowerLayersList) {
  auto loaded =
      load(inputs({"--join", "a:1", "--join=b:2,c:3"}, {{"CONSTELLATION_JOIN", "z"}})).value();
  EXPECT_EQ(loaded.config.join, (std::vector<std::string>{"a:1", "b:2", "c:3"}));
  EXPECT_EQ(origin_text(loaded.origins.at("join")), "flag:--join");
}

TEST(Flags, BareBootstrapMeansTrueAndTakesNoFollowingWord) {
  auto loaded = load(inputs({"--bootstrap", "word"})).value();
  EXPECT_TRUE(loaded.config.bootstrap);
  EXPECT_EQ(loaded.positional, (std::vector<std::string>{"word"}));
  EXPECT_FALSE(load(inputs({"--bootstrap=false"}, {{"CONSTELLATION_BOOTSTRAP", "true"}}))
                   .value()
                   .config.bootstrap);
}

TEST(Flags, LastOccurrenceOfAScalarFlagWins) {
  EXPECT_EQ(load(inputs({"--domain", "a", "--domain", "b"})).value().config.domain, "b");
}

TEST(Flags, UnknownFlagIsInvalidArgumentWithSuggestion) {
  auto loaded = load(inputs({"--data-dri", "/x"}));
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(loaded.error().message, "unknown option '--data-dri' (did you mean '--data-dir'?)");
  EXPECT_EQ(exit_code(loaded.error().code), 2);
}

TEST(Flags, UnknownFlagSuggestionAlsoWorksForTheEqualsSpelling) {
  auto loaded = load(inputs({"--log-levl=debug"}));
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message, "unknown option '--log-levl' (did you mean '--log-level'?)");
}

TEST(Flags, UnknownShortFlagIsRefused) {
  auto loaded = load(inputs({"-x"}));
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::invalid_argument);
}

TEST(Flags, FlagMissingItsValueIsInvalidArgument) {
  for (auto args : {std::vector<std::string>{"--data-dir"},
                    std::vector<std::string>{"--data-dir", "--node", "n"}}) {
    auto loaded = load(inputs(args));
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(loaded.error().message.find("'--data-dir' needs a value"), std::string::npos)
        << loaded.error().message;
  }
}

TEST(Flags, BadFlagValueIsBadConfigNamingTheFlag) {
  auto loaded = load(inputs({"--gossip", "nonsense"}));
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::bad_config);
  EXPECT_NE(loaded.error().message.find("flag --gossip"), std::string::npos);
}

}  // namespace
}  // namespace constellation::config
