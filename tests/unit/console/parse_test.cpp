// The command-line parser: command resolution, global flags anywhere, flag value forms and
// types, repetition, arity and the one-line usage errors with suggestions.
#include <gtest/gtest.h>

#include "console/command/parse.hpp"

namespace constellation::console {
namespace {

Result<ParsedArgs> parse(std::vector<std::string> words) {
  return parse_command_line(words);
}

std::string error_of(std::vector<std::string> words) {
  auto parsed = parse(std::move(words));
  EXPECT_FALSE(parsed.has_value());
  if (parsed) return "";
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(parsed.error().message.find('\n'), std::string::npos) << parsed.error().message;
  return parsed.error().message;
}

TEST(ParseCommandLine, ResolvesCommandAndTakesGlobalFlagsAnywhere) {
  auto parsed = parse(
      {"--agent", "/tmp/a.sock", "note", "hello", "-o", "json", "world", "--token-file=/tmp/t"});
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_NE(parsed->command, nullptr);
  EXPECT_EQ(parsed->command->name, "note");
  EXPECT_EQ(parsed->globals.agent, "/tmp/a.sock");
  EXPECT_EQ(parsed->globals.token_file, "/tmp/t");
  EXPECT_EQ(parsed->globals.output, OutputFormat::json);
  EXPECT_EQ(parsed->positional, (std::vector<std::string>{"hello", "world"}));
}

TEST(ParseCommandLine, AcceptsLongFlagWithEqualsAndSeparateValue) {
  auto a = parse({"events", "--kind=note", "--since", "15m", "--limit=5", "--follow"});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->value("kind"), "note");
  EXPECT_EQ(a->value("since"), "15m");
  EXPECT_EQ(a->value("limit"), "5");
  EXPECT_TRUE(a->has("follow"));
  EXPECT_FALSE(a->has("subject"));
}

TEST(ParseCommandLine, ShortAndLongOutputFlagsSelectJson) {
  EXPECT_EQ(parse({"status", "-o", "json"})->globals.output, OutputFormat::json);
  EXPECT_EQ(parse({"status", "--output=table"})->globals.output, OutputFormat::table);
  EXPECT_EQ(parse({"-o=json", "status"})->globals.output, OutputFormat::json);
}

TEST(ParseCommandLine, ResolvesSubCommandOfAGroup) {
  auto parsed = parse({"config", "check", "--config", "/etc/c.yaml"});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->command->name, "config check");
  EXPECT_EQ(parsed->positional, (std::vector<std::string>{"--config", "/etc/c.yaml"}));
}

TEST(ParseCommandLine, PassthroughKeepsAgentOptionsButTakesOutGlobals) {
  auto parsed = parse(
      {"doctor", "--data-dir", "/d", "-o", "json", "--agent", "/s.sock", "--secrets-path=/x"});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->positional,
            (std::vector<std::string>{"--data-dir", "/d", "--secrets-path=/x"}));
  EXPECT_EQ(parsed->globals.output, OutputFormat::json);
  EXPECT_EQ(parsed->globals.agent, "/s.sock");
}

TEST(ParseCommandLine, RawModeKeepsEveryWordForComplete) {
  auto parsed = parse({"__complete", "events", "--kind", "-o", ""});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->positional, (std::vector<std::string>{"events", "--kind", "-o", ""}));
  EXPECT_FALSE(parsed->globals.output.has_value());
}

TEST(ParseCommandLine, DoubleDashMakesTheRestPositional) {
  auto parsed = parse({"note", "--", "--subject", "is", "text"});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->positional, (std::vector<std::string>{"--subject", "is", "text"}));
  EXPECT_FALSE(parsed->has("subject"));
}

TEST(ParseCommandLine, UnknownCommandSuggestsTheClosestOne) {
  EXPECT_EQ(error_of({"stauts"}), "unknown command 'stauts' (did you mean 'status'?)");
  EXPECT_NE(error_of({"frobnicate"}).find("constellation help"), std::string::npos);
}

TEST(ParseCommandLine, HiddenCommandsAreNotSuggested) {
  EXPECT_EQ(error_of({"__complet"}).find("__complete"), std::string::npos);
}

TEST(ParseCommandLine, UnknownSubCommandSuggestsWithinTheGroup) {
  EXPECT_EQ(error_of({"config", "shwo"}),
            "unknown config sub-command 'shwo' (did you mean 'show'?)");
}

TEST(ParseCommandLine, UnknownFlagSuggestsTheClosestFlag) {
  std::string message = error_of({"events", "--folow"});
  EXPECT_NE(message.find("'--folow'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean '--follow'?"), std::string::npos) << message;
}

TEST(ParseCommandLine, BadChoiceNamesTheValueAndTheChoices) {
  std::string message = error_of({"status", "-o", "jsn"});
  EXPECT_NE(message.find("'jsn'"), std::string::npos) << message;
  EXPECT_NE(message.find("table or json"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'json'?"), std::string::npos) << message;
}

TEST(ParseCommandLine, BadDurationAndIntegerAreUsageErrorsNamingTheValue) {
  EXPECT_NE(error_of({"events", "--since", "yesterday"}).find("'yesterday'"), std::string::npos);
  EXPECT_NE(error_of({"events", "--limit", "ten"}).find("--limit"), std::string::npos);
  EXPECT_NE(error_of({"events", "--limit", "-3"}).find("--limit"), std::string::npos);
}

TEST(ParseCommandLine, MissingValueAndValueOnBooleanAreErrors) {
  EXPECT_NE(error_of({"events", "--kind"}).find("--kind needs a value"), std::string::npos);
  EXPECT_NE(error_of({"events", "--follow=yes"}).find("takes no value"), std::string::npos);
}

TEST(ParseCommandLine, SingleValueFlagGivenTwiceIsAnError) {
  EXPECT_NE(error_of({"events", "--kind", "a", "--kind", "b"}).find("more than once"),
            std::string::npos);
  EXPECT_NE(error_of({"status", "-o", "json", "--output", "table"}).find("more than once"),
            std::string::npos);
}

TEST(ParseCommandLine, ChecksArgumentCounts) {
  EXPECT_NE(error_of({"note"}).find("MESSAGE"), std::string::npos);
  EXPECT_NE(error_of({"status", "extra"}).find("unexpected argument 'extra'"), std::string::npos);
  EXPECT_TRUE(parse({"note", "one", "two", "three"}));
}

TEST(ParseCommandLine, HelpSkipsTheArityCheck) {
  auto parsed = parse({"note", "--help"});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_TRUE(parsed->globals.help);
}

TEST(ParseCommandLine, NoCommandOrOnlyAGroupIsNotAParseError) {
  auto none = parse({"-o", "json"});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->command, nullptr);
  auto group = parse({"config"});
  ASSERT_TRUE(group);
  EXPECT_EQ(group->command, nullptr);
  EXPECT_EQ(group->group, "config");
}

TEST(ParseCommandLine, CommandFlagBeforeTheCommandIsRejected) {
  EXPECT_NE(error_of({"--kind", "note", "events"}).find("'--kind'"), std::string::npos);
}

// A table of its own: no real row has a repeatable flag yet (agent options are passthrough).
constexpr FlagSpec kTagFlags[] = {
    FlagSpec{.name = "tag",
             .short_name = 't',
             .type = FlagType::string,
             .value_name = "TAG",
             .repeatable = true},
};
const CommandSpec kLabel{.name = "label", .flags = kTagFlags, .max_args = 0};
const CommandSpec* const kTestTable[] = {&kLabel};

TEST(ParseCommandLine, RepeatableFlagKeepsEveryValueInOrder) {
  std::vector<std::string> words = {"label", "--tag", "a", "-t", "b", "--tag=c"};
  auto parsed = parse_command_line(words, kTestTable);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->flags.at("tag"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(parsed->value("tag"), "c");
}

TEST(ParseCommandLine, ShortFlagsNeedADeclaredShortName) {
  std::vector<std::string> words = {"label", "-a", "x"};
  auto parsed = parse_command_line(words, kTestTable);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("'-a'"), std::string::npos) << parsed.error().message;
}

TEST(FlagUsage, ShowsShortNameValueAndChoices) {
  EXPECT_EQ(
      flag_usage(FlagSpec{.name = "since", .type = FlagType::duration, .value_name = "DURATION"}),
      "--since DURATION");
  EXPECT_EQ(
      flag_usage(FlagSpec{
          .name = "output", .short_name = 'o', .type = FlagType::choice, .choices = "table json"}),
      "-o, --output table|json");
  EXPECT_EQ(flag_usage(FlagSpec{.name = "follow"}), "--follow");
}

}  // namespace
}  // namespace constellation::console
