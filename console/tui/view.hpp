// Pure views: lay out the selected screen of the TUI into exactly `height` lines of at most
// `width` columns, with styles for the front end to colour. No terminal here, so every screen
// is golden-tested at 80x24 and 120x40; the ncurses layer only paints what changed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "console/tui/command_bar.hpp"
#include "console/tui/model.hpp"

namespace constellation::console::tui {

/// The five screens, in key order (1-5).
enum class Screen { overview, nodes, services, raft, events };
inline constexpr int kScreenCount = 5;

/// How a line or a span of it is drawn; the front end maps these to colours or, without
/// colour, to reverse/bold.
enum class Style { normal, title, header, selected, banner, footer, good, warn, bad };

/// A styled run inside a line: columns [start, start+length).
struct Span {
  std::size_t start = 0, length = 0;
  Style style = Style::normal;
  bool operator==(const Span&) const = default;
};

/// One screen line: text padded to the width, a base style and optional styled spans.
struct Line {
  std::string text{};
  Style style = Style::normal;
  std::vector<Span> spans{};
  bool operator==(const Line&) const = default;
};

/// A detail view opened with Enter: a title and the JSON shown as key: value lines.
struct Detail {
  std::string title{};
  nlohmann::json body{};
  int scroll = 0;
  std::vector<std::string> text{};  ///< when not empty, shown as is instead of `body` (`:` output)
};

/// What the operator is looking at. Plain data, changed only by keymap.hpp's handle_key and
/// the front end (detail results).
struct ViewState {
  Screen screen = Screen::overview;
  /// Selected row per screen; -1 means "the last row" (the Events screen follows the tail).
  std::array<int, kScreenCount> selected{0, 0, 0, 0, -1};
  std::string filter{};  ///< case-insensitive substring filter on the current screen's rows
  bool editing_filter = false;
  bool help = false;
  std::optional<Detail> detail{};
  std::string message{};  ///< one-off note in the footer (a failed detail GET)
  CommandBar bar{};       ///< the `:` command bar (command_bar.hpp)
};

/// What Enter opens on the current screen's selected row.
struct Target {
  enum class Kind { node, service, event } kind = Kind::node;
  std::string name{};      ///< node or service name
  nlohmann::json event{};  ///< the event itself, for Kind::event
};

/// Everything a frame shows besides the model and the state.
struct Frame {
  int width = 80, height = 24;
  std::int64_t now_ms = 0;  ///< wall clock, for "5s ago"
  std::string agent{};      ///< the agent address as the operator gave it
  bool utf8 = true;         ///< the terminal takes UTF-8 (else ASCII stand-ins)
};

/// Lays out the whole frame: tab bar, status or banner line, body, footer.
std::vector<Line> render(const ClusterModel& model, const ViewState& state, const Frame& frame);

/// Rows the current screen lists after the filter (0 for screens without rows).
int row_count(const ClusterModel& model, const ViewState& state);
/// The selected row's target on the current screen, nullopt when there is none.
std::optional<Target> selected_target(const ClusterModel& model, const ViewState& state);
/// The selected index on the current screen, resolved (-1 and overflow clamped).
int selected_index(const ClusterModel& model, const ViewState& state);

/// A screen's tab label ("Leases & Raft").
std::string_view screen_name(Screen screen);

/// `text` cut or padded with spaces to exactly `width` columns (UTF-8 code points).
std::string fit(std::string_view text, std::size_t width);

}  // namespace constellation::console::tui
