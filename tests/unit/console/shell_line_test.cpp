// The shell's line grammar (console/shell/line_split.hpp), its history file's place and
// permissions (history_file.hpp), and its completion's own words (completion.hpp).
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "console/shell/completion.hpp"
#include "console/shell/history_file.hpp"
#include "console/shell/line_split.hpp"

namespace constellation::console::shell {
namespace {

using Lines = std::vector<CommandWords>;

Lines split(std::string_view line) {
  auto commands = split_command_line(line);
  EXPECT_TRUE(commands.has_value()) << commands.error().message;
  return commands.value_or(Lines{});
}

TEST(ShellLineSplit, SemicolonsSeparateCommandsAndBlanksSeparateWords) {
  EXPECT_EQ(split("status; nodes -o json"), (Lines{{"status"}, {"nodes", "-o", "json"}}));
  EXPECT_EQ(split("  node   show\talpha  "), (Lines{{"node", "show", "alpha"}}));
  EXPECT_EQ(split("status;nodes"), (Lines{{"status"}, {"nodes"}}));
}

TEST(ShellLineSplit, EmptyCommandsAreDropped) {
  EXPECT_EQ(split(""), Lines{});
  EXPECT_EQ(split("   "), Lines{});
  EXPECT_EQ(split(";; status ;;"), (Lines{{"status"}}));
}

TEST(ShellLineSplit, QuotesKeepBlanksAndSemicolonsInsideOneWord) {
  EXPECT_EQ(split("note 'disk; full on beta'"), (Lines{{"note", "disk; full on beta"}}));
  EXPECT_EQ(split("note \"a \\\"quoted\\\" word\"; status"),
            (Lines{{"note", "a \"quoted\" word"}, {"status"}}));
  EXPECT_EQ(split("note pre'fix 'and\" \"suffix"), (Lines{{"note", "prefix and suffix"}}));
  EXPECT_EQ(split("note ''"), (Lines{{"note", ""}}));
  EXPECT_EQ(split("note 'back\\slash'"), (Lines{{"note", "back\\slash"}}));
}

TEST(ShellLineSplit, BackslashEscapesTheNextCharacterOutsideQuotes) {
  EXPECT_EQ(split("note a\\;b c\\ d"), (Lines{{"note", "a;b", "c d"}}));
}

TEST(ShellLineSplit, UnterminatedQuoteIsAnErrorNamingTheQuote) {
  auto result = split_command_line("note 'never closed; status");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(result.error().message.find("unterminated ' quote"), std::string::npos)
      << result.error().message;
  EXPECT_FALSE(split_command_line("note \"open").has_value());
  EXPECT_FALSE(split_command_line("note trailing\\").has_value());
}

TEST(ShellLineSplit, CompletionSeesOnlyTheWordsOfTheLastCommand) {
  EXPECT_EQ(words_of_last_command("status; node "), (CommandWords{"node"}));
  EXPECT_EQ(words_of_last_command("status; "), CommandWords{});
  EXPECT_EQ(words_of_last_command("status;"), CommandWords{});
  EXPECT_EQ(words_of_last_command(""), CommandWords{});
  EXPECT_EQ(words_of_last_command("note 'a;b' "), (CommandWords{"note", "a;b"}));
  EXPECT_EQ(words_of_last_command("note 'open; "), (CommandWords{"note", "open; "}));
}

std::function<std::optional<std::string>(const std::string&)> env(
    std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ShellHistoryFile, LivesUnderXdgStateHomeElseHomeLocalState) {
  EXPECT_EQ(history_path(env({{"XDG_STATE_HOME", "/x/state"}, {"HOME", "/home/op"}})).value(),
            "/x/state/constellation/shell_history");
  EXPECT_EQ(history_path(env({{"HOME", "/home/op"}})).value(),
            "/home/op/.local/state/constellation/shell_history");
  EXPECT_EQ(history_path(env({{"XDG_STATE_HOME", "relative"}, {"HOME", "/home/op"}})).value(),
            "/home/op/.local/state/constellation/shell_history")
      << "XDG says a relative XDG_STATE_HOME is to be ignored";
  auto none = history_path(env({}));
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("HOME"), std::string::npos) << none.error().message;
}

TEST(ShellHistoryFile, IsCreatedPrivateWithPrivateDirectoriesAndNarrowedIfOpen) {
  auto root =
      std::filesystem::temp_directory_path() / ("shell-history-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root);
  std::string path = (root / "state/constellation/shell_history").string();
  ASSERT_TRUE(prepare_history_file(path).has_value());
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((root / "state/constellation").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);

  ::chmod(path.c_str(), 0644);
  ASSERT_TRUE(prepare_history_file(path).has_value());
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u) << "a history readable by others is narrowed";
  std::filesystem::remove_all(root);
}

TEST(ShellCompletion, OffersTableCommandsAndTheShellsOwnWords) {
  std::ostringstream out, err;
  Context context{.out = out, .err = err};
  auto first = shell_candidates(context, {"e"});
  EXPECT_NE(std::find(first.begin(), first.end(), "events"), first.end());
  EXPECT_NE(std::find(first.begin(), first.end(), "exit"), first.end());
  EXPECT_EQ(shell_candidates(context, {"events", "o"}), (std::vector<std::string>{"on", "off"}));
  EXPECT_EQ(shell_candidates(context, {"nodes", "--out"}), (std::vector<std::string>{"--output"}));
}

}  // namespace
}  // namespace constellation::console::shell
