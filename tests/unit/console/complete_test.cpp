// `__complete`: candidates for commands, sub-commands, flags, choice values and `help`.
#include <gtest/gtest.h>

#include "console/command/complete.hpp"

namespace constellation::console {
namespace {

using Words = std::vector<std::string>;

Words candidates(Words words) {
  return complete(words);
}

bool has(const Words& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

TEST(Complete, OffersVisibleCommandsForAnEmptyLine) {
  Words all = candidates({""});
  EXPECT_TRUE(has(all, "status"));
  EXPECT_TRUE(has(all, "config"));
  EXPECT_TRUE(has(all, "events"));
  EXPECT_FALSE(has(all, "__complete"));
  EXPECT_EQ(candidates({}), all);
}

TEST(Complete, FiltersCommandsByPrefix) {
  EXPECT_EQ(candidates({"st"}), Words{"status"});
  EXPECT_EQ(candidates({"d"}), (Words{"doctor", "demo"}));
}

TEST(Complete, OffersLiveNodeAndServiceNamesWhereACommandTakesThem) {
  std::vector<NameKind> asked;
  LiveNames names = [&asked](NameKind kind) {
    asked.push_back(kind);
    return kind == NameKind::node ? Words{"cloudserver-1", "home-1"} : Words{"whoami", "web"};
  };
  EXPECT_EQ(complete(Words{"node", "show", "c"}, names), Words{"cloudserver-1"});
  EXPECT_EQ(complete(Words{"force-leave", ""}, names), (Words{"cloudserver-1", "home-1"}));
  EXPECT_EQ(complete(Words{"service", "show", "w"}, names), (Words{"whoami", "web"}));
  EXPECT_EQ(complete(Words{"restart", "wh"}, names), Words{"whoami"});
  EXPECT_EQ(asked, (std::vector<NameKind>{NameKind::node, NameKind::node, NameKind::service,
                                          NameKind::service}));
  EXPECT_TRUE(complete(Words{"status", ""}, names).empty()) << "no names where none are taken";
  EXPECT_TRUE(complete(Words{"node", "show", ""}).empty()) << "no agent, no names";
}

TEST(Complete, OffersSubCommandsAfterAGroup) {
  EXPECT_EQ(candidates({"config", ""}), (Words{"show", "check"}));
  EXPECT_EQ(candidates({"config", "ch"}), Words{"check"});
}

TEST(Complete, OffersCommandAndGlobalFlags) {
  Words flags = candidates({"events", "--"});
  EXPECT_TRUE(has(flags, "--follow"));
  EXPECT_TRUE(has(flags, "--since"));
  EXPECT_TRUE(has(flags, "--agent"));
  EXPECT_TRUE(has(flags, "--output"));
  EXPECT_EQ(candidates({"events", "--fo"}), Words{"--follow"});
  EXPECT_FALSE(has(candidates({"status", "--"}), "--follow"));
}

TEST(Complete, OffersAgentOptionsForPassthroughCommands) {
  EXPECT_TRUE(has(candidates({"doctor", "--data"}), "--data-dir"));
  EXPECT_TRUE(has(candidates({"config", "show", "--"}), "--secrets-path"));
}

TEST(Complete, OffersChoiceValuesAfterAChoiceFlag) {
  EXPECT_EQ(candidates({"status", "-o", ""}), (Words{"table", "json"}));
  EXPECT_EQ(candidates({"status", "--output", "j"}), Words{"json"});
  EXPECT_EQ(candidates({"status", "--output=j"}), Words{"--output=json"});
  EXPECT_EQ(candidates({"agent", "--log-level", "d"}), Words{"debug"});
}

TEST(Complete, OffersNothingForFreeFormValues) {
  EXPECT_TRUE(candidates({"events", "--kind", ""}).empty());
  EXPECT_TRUE(candidates({"--token-file", ""}).empty());
  EXPECT_TRUE(candidates({"note", ""}).empty());
}

TEST(Complete, FlagValuesDoNotCountAsCommandWords) {
  EXPECT_EQ(candidates({"--agent", "status", "st"}), Words{"status"});
  EXPECT_TRUE(has(candidates({"-o", "json", "events", "--"}), "--follow"));
}

TEST(Complete, OffersCommandNamesAfterHelp) {
  EXPECT_EQ(candidates({"help", "ev"}), Words{"events"});
}

}  // namespace
}  // namespace constellation::console
