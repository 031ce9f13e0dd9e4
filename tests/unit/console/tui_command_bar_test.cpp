// The TUI's `:` command bar (console/tui/command_bar.hpp): editing, completion through a
// handed-in engine, history walking, and the commands it refuses.
#include <gtest/gtest.h>

#include "console/tui/command_bar.hpp"
#include "console/tui/keymap.hpp"

namespace constellation::console::tui {
namespace {

void type(CommandBar& bar, const std::string& text, const CompleteFn& complete = {}) {
  for (char c : text) bar_key(bar, static_cast<unsigned char>(c), complete);
}

TEST(TuiCommandBar, EnterRunsTheTypedLineAndRemembersIt) {
  CommandBar bar;
  open_bar(bar);
  type(bar, "nodesx");
  bar_key(bar, keys::backspace, {});
  type(bar, " -o json");
  auto outcome = bar_key(bar, keys::enter, {});
  EXPECT_EQ(outcome.kind, BarOutcome::Kind::run);
  EXPECT_EQ(outcome.line, "nodes -o json");
  EXPECT_FALSE(bar.open);
  EXPECT_EQ(bar.history, (std::vector<std::string>{"nodes -o json"}));
}

TEST(TuiCommandBar, EscapeAndABlankLineCloseWithoutRunning) {
  CommandBar bar;
  open_bar(bar);
  type(bar, "status");
  EXPECT_EQ(bar_key(bar, keys::escape, {}).kind, BarOutcome::Kind::closed);
  EXPECT_FALSE(bar.open);
  open_bar(bar);
  EXPECT_EQ(bar.text, "");
  type(bar, "   ");
  EXPECT_EQ(bar_key(bar, keys::enter, {}).kind, BarOutcome::Kind::closed);
  EXPECT_TRUE(bar.history.empty());
}

TEST(TuiCommandBar, TabCompletesTheLastWordOfTheLastCommand) {
  std::vector<std::vector<std::string>> asked;
  CompleteFn complete = [&](const std::vector<std::string>& words) {
    asked.push_back(words);
    if (words.back() == "al") return std::vector<std::string>{"alpha"};
    if (words.back() == "n") return std::vector<std::string>{"node", "nodes", "note"};
    return std::vector<std::string>{};
  };
  CommandBar bar;
  open_bar(bar);
  type(bar, "status; node show al");
  bar_key(bar, keys::tab, complete);
  EXPECT_EQ(bar.text, "status; node show alpha ");
  ASSERT_FALSE(asked.empty());
  EXPECT_EQ(asked.back(), (std::vector<std::string>{"node", "show", "al"}));

  open_bar(bar);
  type(bar, "n");
  bar_key(bar, keys::tab, complete);
  EXPECT_EQ(bar.text, "no") << "several candidates: their common prefix";
  EXPECT_EQ(bar.candidates, (std::vector<std::string>{"node", "nodes", "note"}));
}

TEST(TuiCommandBar, UpAndDownWalkTheHistoryAndPastTheNewestClearTheLine) {
  CommandBar bar;
  bar.history = {"status", "nodes"};
  open_bar(bar);
  bar_key(bar, keys::up, {});
  EXPECT_EQ(bar.text, "nodes");
  bar_key(bar, keys::up, {});
  EXPECT_EQ(bar.text, "status");
  bar_key(bar, keys::up, {});
  EXPECT_EQ(bar.text, "status") << "the oldest stays";
  bar_key(bar, keys::down, {});
  EXPECT_EQ(bar.text, "nodes");
  bar_key(bar, keys::down, {});
  EXPECT_EQ(bar.text, "");
}

TEST(TuiCommandBar, RefusesCommandsThatTakeTheTerminalOrNeverEnd) {
  EXPECT_FALSE(bar_refuses({"nodes", "-o", "json"}).has_value());
  for (const char* name : {"console", "shell", "agent", "demo"}) {
    auto why = bar_refuses({name});
    ASSERT_TRUE(why.has_value()) << name;
    EXPECT_NE(why->find("outside the console"), std::string::npos) << *why;
  }
  auto follow = bar_refuses({"events", "--follow"});
  ASSERT_TRUE(follow.has_value());
  EXPECT_NE(follow->find("Events screen"), std::string::npos) << *follow;
}

}  // namespace
}  // namespace constellation::console::tui
