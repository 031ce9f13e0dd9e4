// The TUI's key map: each binding does what its help says, the help screen is generated from
// the table, and the man page lists every key.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "console/tui/keymap.hpp"
#include "tests/unit/console/tui_fixture.hpp"

namespace constellation::console::tui {
namespace {

using testing::fixture_model;

Reaction press(ViewState& state, const ClusterModel& model, const std::string& text) {
  Reaction last;
  for (char c : text) last = handle_key(state, model, c);
  return last;
}

TEST(TuiKeys, NumbersAndTabSwitchScreens) {
  auto model = fixture_model();
  ViewState state;
  press(state, model, "3");
  EXPECT_EQ(state.screen, Screen::services);
  handle_key(state, model, keys::tab);
  EXPECT_EQ(state.screen, Screen::raft);
  handle_key(state, model, keys::tab);
  handle_key(state, model, keys::tab);
  EXPECT_EQ(state.screen, Screen::overview) << "Tab wraps around";
  handle_key(state, model, keys::back_tab);
  EXPECT_EQ(state.screen, Screen::events);
}

TEST(TuiKeys, VimAndArrowKeysMoveWithinTheRows) {
  auto model = fixture_model();
  ViewState state{.screen = Screen::nodes};
  press(state, model, "jj");
  EXPECT_EQ(selected_index(model, state), 2);
  press(state, model, "j");
  EXPECT_EQ(selected_index(model, state), 2) << "stops at the last row";
  handle_key(state, model, keys::up);
  EXPECT_EQ(selected_index(model, state), 1);
  press(state, model, "G");
  EXPECT_EQ(selected_index(model, state), 2);
  press(state, model, "g");
  EXPECT_EQ(selected_index(model, state), 0);
}

TEST(TuiKeys, EventsFollowTheTailUntilTheOperatorMovesUp) {
  auto model = fixture_model();
  ViewState state{.screen = Screen::events};
  EXPECT_EQ(selected_index(model, state), 3);
  model.apply_event(Event{.id = 9, .kind = "note"});
  EXPECT_EQ(selected_index(model, state), 4) << "new event selected while following";
  press(state, model, "k");
  model.apply_event(Event{.id = 10, .kind = "note"});
  EXPECT_EQ(selected_index(model, state), 3) << "stays put after moving up";
  press(state, model, "G");
  model.apply_event(Event{.id = 11, .kind = "note"});
  EXPECT_EQ(selected_index(model, state), 6) << "G follows again";
}

TEST(TuiKeys, SlashEditsAFilterThatEnterKeepsAndEscClears) {
  auto model = fixture_model();
  ViewState state{.screen = Screen::nodes};
  press(state, model, "/clouX");
  handle_key(state, model, keys::backspace);
  press(state, model, "d");
  EXPECT_TRUE(state.editing_filter);
  EXPECT_EQ(state.filter, "cloud");
  handle_key(state, model, keys::enter);
  EXPECT_FALSE(state.editing_filter);
  EXPECT_EQ(row_count(model, state), 1);
  EXPECT_EQ(press(state, model, "q").kind, Reaction::Kind::quit) << "q quits once not editing";
  handle_key(state, model, keys::escape);
  EXPECT_EQ(state.filter, "");
  EXPECT_EQ(row_count(model, state), 3);
}

TEST(TuiKeys, QWhileEditingAFilterIsText) {
  auto model = fixture_model();
  ViewState state;
  EXPECT_NE(press(state, model, "/q").kind, Reaction::Kind::quit);
  EXPECT_EQ(state.filter, "q");
}

TEST(TuiKeys, EnterOnANodeOrServiceAsksForItsShowEndpoint) {
  auto model = fixture_model();
  ViewState state{.screen = Screen::nodes};
  press(state, model, "j");
  auto reaction = handle_key(state, model, keys::enter);
  EXPECT_EQ(reaction.kind, Reaction::Kind::fetch_detail);
  EXPECT_EQ(reaction.path, "/api/v1/nodes/cloud-1");
  press(state, model, "3");
  reaction = handle_key(state, model, keys::enter);
  EXPECT_EQ(reaction.path, "/api/v1/services/api");
}

TEST(TuiKeys, EnterOnAnEventOpensItAndEscGoesBack) {
  auto model = fixture_model();
  ViewState state{.screen = Screen::events};
  EXPECT_EQ(handle_key(state, model, keys::enter).kind, Reaction::Kind::redraw);
  ASSERT_TRUE(state.detail);
  EXPECT_EQ(state.detail->body["kind"], "note");
  press(state, model, "j");
  EXPECT_EQ(state.detail->scroll, 1) << "j scrolls the details";
  handle_key(state, model, keys::escape);
  EXPECT_FALSE(state.detail);
}

TEST(TuiKeys, NothingToOpenOnOverviewOrTheRaftPlaceholder) {
  auto model = fixture_model();
  ViewState state;
  EXPECT_EQ(handle_key(state, model, keys::enter).kind, Reaction::Kind::none);
  press(state, model, "4");
  EXPECT_EQ(handle_key(state, model, keys::enter).kind, Reaction::Kind::none);
}

TEST(TuiKeys, QAndCtrlCQuit) {
  auto model = fixture_model();
  ViewState state;
  EXPECT_EQ(handle_key(state, model, 'q').kind, Reaction::Kind::quit);
  EXPECT_EQ(handle_key(state, model, keys::ctrl_c).kind, Reaction::Kind::quit);
}

TEST(TuiKeys, HelpScreenListsEveryBinding) {
  auto model = fixture_model();
  ViewState state;
  press(state, model, "?");
  ASSERT_TRUE(state.help);
  auto lines = render(model, state, Frame{.width = 120, .height = 40});
  std::string text;
  for (const auto& line : lines) text += line.text + "\n";
  for (const auto& binding : key_bindings()) {
    EXPECT_NE(text.find(" " + std::string(binding.keys) + " "), std::string::npos) << binding.keys;
    EXPECT_NE(text.find(std::string(binding.help)), std::string::npos) << binding.help;
  }
  handle_key(state, model, keys::escape);
  EXPECT_FALSE(state.help);
}

TEST(TuiKeys, ManPageListsEveryKey) {
  std::ifstream file(std::string(CONSTELLATION_SOURCE_DIR) + "/man/constellation.1");
  std::stringstream buffer;
  buffer << file.rdbuf();
  std::string page = buffer.str();
  for (std::size_t at; (at = page.find("\\-")) != std::string::npos;) page.replace(at, 2, "-");
  auto section = page.find(".SH CONSOLE KEYS");
  ASSERT_NE(section, std::string::npos);
  for (const auto& binding : key_bindings())
    EXPECT_NE(page.find(".TP\n.B " + std::string(binding.keys) + "\n", section), std::string::npos)
        << "man/constellation.1 CONSOLE KEYS lacks " << binding.keys;
}

}  // namespace
}  // namespace constellation::console::tui
