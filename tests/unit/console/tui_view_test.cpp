// The TUI's views at 80x24 and 120x40 against golden files (tests/unit/console/golden/), and
// the frame's invariants: exactly `height` lines of exactly `width` columns. Regenerate the
// goldens after an intended change with CONSTELLATION_UPDATE_GOLDEN=1 and review the diff.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "console/command/output.hpp"
#include "console/render/format.hpp"
#include "console/tui/view.hpp"
#include "tests/unit/console/tui_fixture.hpp"

namespace constellation::console::tui {
namespace {

using testing::fixture_model;
using testing::kNowMs;

std::string golden_path(const std::string& name) {
  return std::string(CONSTELLATION_SOURCE_DIR) + "/tests/unit/console/golden/" + name + ".txt";
}

/// The frame as text: one line per row, trailing spaces dropped so the goldens read well.
std::string as_text(const std::vector<Line>& lines) {
  std::string text;
  for (const auto& line : lines) {
    std::string row = line.text;
    while (!row.empty() && row.back() == ' ') row.pop_back();
    text += row + "\n";
  }
  return text;
}

void expect_golden(const std::string& name, const std::vector<Line>& lines) {
  const std::string actual = as_text(lines);
  if (std::getenv("CONSTELLATION_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden_path(name)) << actual;
    return;
  }
  std::ifstream file(golden_path(name));
  ASSERT_TRUE(file) << "missing golden " << golden_path(name)
                    << " (run with CONSTELLATION_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << file.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "golden " << name;
}

std::vector<Line> frame_of(const ClusterModel& model, const ViewState& state, int width,
                           int height) {
  auto lines = render(model, state,
                      Frame{.width = width,
                            .height = height,
                            .now_ms = kNowMs,
                            .agent = "unix:/run/constellation/agent.sock"});
  EXPECT_EQ(lines.size(), static_cast<std::size_t>(height));
  for (const auto& line : lines)
    EXPECT_EQ(display_width(line.text), static_cast<std::size_t>(width)) << line.text;
  return lines;
}

struct Case {
  const char* name;
  Screen screen;
};
constexpr Case kScreens[] = {{"overview", Screen::overview},
                             {"nodes", Screen::nodes},
                             {"services", Screen::services},
                             {"raft", Screen::raft},
                             {"events", Screen::events}};

TEST(TuiView, EveryScreenMatchesItsGoldenAt80x24And120x40) {
  auto model = fixture_model();
  for (const auto& c : kScreens) {
    ViewState state{.screen = c.screen};
    expect_golden(std::string(c.name) + "_80x24", frame_of(model, state, 80, 24));
    expect_golden(std::string(c.name) + "_120x40", frame_of(model, state, 120, 40));
  }
}

TEST(TuiView, DisconnectShowsTheReconnectBannerOnTheStatusLine) {
  auto model = fixture_model();
  model.link = Link{.connected = false,
                    .error = "cannot reach the agent at unix:/run/constellation/agent.sock",
                    .attempt = 3,
                    .retry_in_ms = 1000};
  auto lines = frame_of(model, ViewState{.screen = Screen::nodes}, 80, 24);
  expect_golden("banner_80x24", lines);
  EXPECT_EQ(lines[1].style, Style::banner);
  EXPECT_TRUE(lines[1].text.starts_with(" agent unreachable \u2014 reconnecting")) << lines[1].text;
}

TEST(TuiView, WithoutUtf8TheBannerUsesAnAsciiDash) {
  auto model = fixture_model();
  model.link = Link{.connected = false, .error = "refused", .attempt = 1};
  auto lines = render(model, ViewState{}, Frame{.width = 80, .height = 24, .utf8 = false});
  EXPECT_TRUE(lines[1].text.starts_with(" agent unreachable - reconnecting")) << lines[1].text;
}

TEST(TuiView, SelectedRowIsHighlightedAndStatesAreColoured) {
  auto model = fixture_model();
  ViewState state{.screen = Screen::nodes};
  state.selected[1] = 1;
  auto lines = frame_of(model, state, 120, 40);
  EXPECT_EQ(lines[4].style, Style::selected);
  EXPECT_NE(lines[4].text.find("cloud-1"), std::string::npos);
  ASSERT_FALSE(lines[5].spans.empty());
  EXPECT_EQ(lines[5].spans[0].style, Style::bad) << "edge-1 is dead";
  EXPECT_EQ(lines[3].spans[0].style, Style::good) << "home-1 is alive";
}

TEST(TuiView, FilterNarrowsTheRowsAndSaysSoInTheFooter) {
  auto model = fixture_model();
  ViewState state{.screen = Screen::events, .filter = "EDGE"};
  auto lines = frame_of(model, state, 80, 24);
  EXPECT_EQ(row_count(model, state), 1);
  EXPECT_NE(lines[3].text.find("member.dead"), std::string::npos);
  EXPECT_NE(lines[23].text.find("filter: EDGE"), std::string::npos);
}

TEST(TuiView, HelpAndDetailOverlaysMatchTheirGoldens) {
  auto model = fixture_model();
  expect_golden("help_80x24", frame_of(model, ViewState{.help = true}, 80, 24));
  ViewState state{
      .screen = Screen::nodes,
      .detail = Detail{.title = "node home-1", .body = testing::fixture_nodes()["nodes"][1]}};
  expect_golden("detail_80x24", frame_of(model, state, 80, 24));
}

TEST(TuiView, ATinyTerminalGetsAOneLineExplanation) {
  auto lines = frame_of(fixture_model(), ViewState{}, 30, 8);
  EXPECT_TRUE(lines[0].text.starts_with("terminal too small")) << lines[0].text;
}

TEST(TuiView, LongEventListsScrollToKeepTheSelectionVisible) {
  ClusterModel model = fixture_model();
  for (std::int64_t id = 5; id < 100; ++id)
    model.apply_event(Event{.id = id,
                            .time_ms = kNowMs,
                            .node = "home-1",
                            .kind = "note",
                            .detail = {{"message", "n" + std::to_string(id)}}});
  auto lines = frame_of(model, ViewState{.screen = Screen::events}, 80, 24);
  EXPECT_NE(lines[22].text.find("n99"), std::string::npos) << "follows the tail";
  EXPECT_EQ(lines[22].style, Style::selected);
}

}  // namespace
}  // namespace constellation::console::tui
