// The TUI's key map: one table of bindings {keys, action, help} that drives both key handling
// and the `?` help screen (and the man page lists the same keys), and handle_key, which turns
// a key into a change of ViewState plus a reaction for the front end (htop-style: handlers
// never draw). Pure, so every binding is unit-tested without a terminal.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "console/tui/view.hpp"

namespace constellation::console::tui {

/// Keys as the front end reports them: printable ASCII as itself, the rest as these codes
/// (the ncurses layer maps KEY_UP and friends here, so this file needs no curses header).
namespace keys {
inline constexpr int tab = '\t';
inline constexpr int enter = '\n';
inline constexpr int escape = 27;
inline constexpr int backspace = 127;
inline constexpr int ctrl_c = 3;
inline constexpr int up = 0x10001;
inline constexpr int down = 0x10002;
inline constexpr int home = 0x10003;
inline constexpr int end = 0x10004;
inline constexpr int back_tab = 0x10005;
inline constexpr int page_up = 0x10006;
inline constexpr int page_down = 0x10007;
inline constexpr int resize = 0x10008;
}  // namespace keys

/// What a binding does.
enum class Action {
  overview,
  nodes,
  services,
  raft,
  events,
  next_screen,
  previous_screen,
  down,
  up,
  page_down,
  page_up,
  first,
  last,
  filter,
  command,
  open,
  back,
  help,
  quit,
};

/// One row of the key map.
struct KeyBinding {
  std::vector<int> codes{};
  std::string_view keys{};  ///< as the help screen and the man page write them
  Action action = Action::quit;
  std::string_view help{};
};

/// Every binding, in the order the help screen lists them.
std::span<const KeyBinding> key_bindings();

/// What the front end must do after a key.
struct Reaction {
  enum class Kind { none, redraw, quit, fetch_detail } kind = Kind::none;
  std::string path{};  ///< API path to GET for fetch_detail ("/api/v1/nodes/node-a")
  std::string title{};
};

/// Applies `key` to `state` (given the rows the model currently has) and says what follows.
Reaction handle_key(ViewState& state, const ClusterModel& model, int key, int page_rows = 10);

}  // namespace constellation::console::tui
