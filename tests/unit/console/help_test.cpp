// Help generated from the command table: every visible row has usage, summary, its flags
// and examples; hidden rows stay out of the overview.
#include <gtest/gtest.h>

#include "console/command/help.hpp"
#include "console/command/table.hpp"

namespace constellation::console {
namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(CommandHelp, EveryVisibleCommandHasUsageSummaryFlagsAndExamples) {
  for (const CommandSpec* command : command_table()) {
    if (command->hidden) continue;
    SCOPED_TRACE(std::string(command->name));
    std::string help = render_command_help(*command);
    EXPECT_TRUE(help.starts_with("usage: constellation " + std::string(command->name))) << help;
    EXPECT_FALSE(command->summary.empty());
    EXPECT_TRUE(contains(help, command->summary)) << help;
    for (const FlagSpec& flag : command->flags)
      EXPECT_TRUE(contains(help, "--" + std::string(flag.name))) << help;
    EXPECT_TRUE(contains(help, "--agent")) << "global flags missing:\n" << help;
    EXPECT_FALSE(command->examples.empty());
    EXPECT_TRUE(contains(help, "examples:\n  constellation ")) << help;
  }
}

TEST(CommandHelp, MutatingCommandsSayTheyNeedAToken) {
  EXPECT_TRUE(contains(render_command_help(*find_command("note")), "--token-file"));
  EXPECT_TRUE(find_command("note")->mutates);
  EXPECT_TRUE(find_command("reload")->mutates);
  EXPECT_FALSE(find_command("status")->mutates);
}

TEST(CommandHelp, AgentOptionRowsListTheAgentsFlags) {
  std::string help = render_command_help(*find_command("doctor"));
  EXPECT_TRUE(contains(help, "--data-dir PATH")) << help;
  EXPECT_TRUE(contains(help, "--secrets-path")) << help;
  EXPECT_FALSE(contains(render_command_help(*find_command("status")), "--data-dir"));
}

TEST(CommandHelp, UsageLineListsFlagsAndArguments) {
  EXPECT_EQ(usage_line(*find_command("note")), "constellation note [--subject SUBJECT] MESSAGE...");
  EXPECT_EQ(usage_line(*find_command("events")),
            "constellation events [--kind KIND] [--subject SUBJECT] [--since DURATION] "
            "[--limit N] [--follow]");
}

TEST(OverviewHelp, ListsEveryVisibleCommandAndNoHiddenOne) {
  std::string overview = render_overview();
  for (const CommandSpec* command : command_table()) {
    if (command->hidden) {
      EXPECT_FALSE(contains(overview, command->name)) << command->name;
    } else {
      EXPECT_TRUE(contains(overview, "  " + std::string(command->name) + " ")) << command->name;
    }
  }
  EXPECT_TRUE(contains(overview, "69 agent unreachable"));
}

TEST(GroupHelp, ListsTheGroupsSubCommands) {
  std::string help = render_group_help("config");
  EXPECT_TRUE(contains(help, "config show"));
  EXPECT_TRUE(contains(help, "config check"));
  EXPECT_FALSE(contains(help, "doctor"));
}

}  // namespace
}  // namespace constellation::console
