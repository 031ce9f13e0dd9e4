// The key map table and the key handler (see keymap.hpp).
#include "console/tui/keymap.hpp"

#include <algorithm>

#include "shared/api_paths.hpp"

namespace constellation::console::tui {
namespace {

const std::vector<KeyBinding>& table() {
  static const std::vector<KeyBinding> kBindings = {
      {{'1'}, "1", Action::overview, "Overview: node and service health, latest events"},
      {{'2'}, "2", Action::nodes, "Nodes: state, priority, capabilities, IPs, services"},
      {{'3'}, "3", Action::services, "Services: service x node health matrix"},
      {{'4'}, "4", Action::raft, "Leases & Raft (not available from this agent yet)"},
      {{'5'}, "5", Action::events, "Events: live timeline from the journal"},
      {{keys::tab}, "Tab", Action::next_screen, "next screen"},
      {{keys::back_tab}, "Shift-Tab", Action::previous_screen, "previous screen"},
      {{'j', keys::down}, "j, Down", Action::down, "move down"},
      {{'k', keys::up}, "k, Up", Action::up, "move up"},
      {{keys::page_down}, "PgDn", Action::page_down, "page down"},
      {{keys::page_up}, "PgUp", Action::page_up, "page up"},
      {{'g', keys::home}, "g, Home", Action::first, "first row"},
      {{'G', keys::end}, "G, End", Action::last, "last row (Events: follow new events)"},
      {{'/'}, "/", Action::filter, "filter the rows (Enter keeps it, Esc clears it)"},
      {{':'}, ":", Action::command, "run a command (Tab completes, Up/Down history, Esc cancels)"},
      {{keys::enter, '\r'}, "Enter", Action::open, "details of the selected node, service, event"},
      {{keys::escape}, "Esc", Action::back, "back: close details or help, clear the filter"},
      {{'?'}, "?", Action::help, "this help"},
      {{'q', keys::ctrl_c}, "q, Ctrl-C", Action::quit, "quit"},
  };
  return kBindings;
}

void move_to(ViewState& state, const ClusterModel& model, int index) {
  int count = row_count(model, state);
  auto& selected = state.selected[static_cast<std::size_t>(state.screen)];
  if (count == 0) {
    selected = 0;
    return;
  }
  selected = std::clamp(index, 0, count - 1);
  // On Events, the last row means "follow the tail" as new events arrive.
  if (state.screen == Screen::events && selected == count - 1) selected = -1;
}

Reaction edit_filter(ViewState& state, int key) {
  if (key == keys::escape) {
    state.filter.clear();
    state.editing_filter = false;
  } else if (key == keys::enter || key == '\r') {
    state.editing_filter = false;
  } else if (key == keys::backspace || key == 8) {
    if (!state.filter.empty()) state.filter.pop_back();
  } else if (key >= 32 && key < 127) {
    state.filter += static_cast<char>(key);
  } else {
    return {};
  }
  return {.kind = Reaction::Kind::redraw};
}

Reaction open(ViewState& state, const ClusterModel& model) {
  auto target = selected_target(model, state);
  if (!target) return {};
  switch (target->kind) {
    case Target::Kind::node:
      return {.kind = Reaction::Kind::fetch_detail,
              .path = std::string(api_paths::nodes) + "/" + target->name,
              .title = "node " + target->name};
    case Target::Kind::service:
      return {.kind = Reaction::Kind::fetch_detail,
              .path = std::string(api_paths::services) + "/" + target->name,
              .title = "service " + target->name};
    case Target::Kind::event:
      state.detail = Detail{.title = "event " + target->event.value("id", nlohmann::json()).dump() +
                                     " " + target->name,
                            .body = target->event};
      return {.kind = Reaction::Kind::redraw};
  }
  return {};
}

}  // namespace

std::span<const KeyBinding> key_bindings() {
  return table();
}

Reaction handle_key(ViewState& state, const ClusterModel& model, int key, int page_rows) {
  if (key == keys::resize) return {.kind = Reaction::Kind::redraw};
  if (state.editing_filter) return edit_filter(state, key);
  const KeyBinding* binding = nullptr;
  for (const auto& row : table())
    if (std::find(row.codes.begin(), row.codes.end(), key) != row.codes.end()) binding = &row;
  if (!binding) return {};
  state.message.clear();
  const int selected = selected_index(model, state);
  const Reaction redraw{.kind = Reaction::Kind::redraw};
  // While details or help are open, movement scrolls them and other keys close them first.
  if (state.detail && (binding->action == Action::down || binding->action == Action::up)) {
    state.detail->scroll =
        std::max(0, state.detail->scroll + (binding->action == Action::down ? 1 : -1));
    return redraw;
  }
  switch (binding->action) {
    case Action::overview:
    case Action::nodes:
    case Action::services:
    case Action::raft:
    case Action::events:
      state.screen = static_cast<Screen>(static_cast<int>(binding->action));
      state.detail.reset();
      state.help = false;
      return redraw;
    case Action::next_screen:
    case Action::previous_screen: {
      int step = binding->action == Action::next_screen ? 1 : kScreenCount - 1;
      state.screen = static_cast<Screen>((static_cast<int>(state.screen) + step) % kScreenCount);
      state.detail.reset();
      state.help = false;
      return redraw;
    }
    case Action::down:
      move_to(state, model, selected + 1);
      return redraw;
    case Action::up:
      move_to(state, model, selected - 1);
      return redraw;
    case Action::page_down:
      move_to(state, model, selected + page_rows);
      return redraw;
    case Action::page_up:
      move_to(state, model, selected - page_rows);
      return redraw;
    case Action::first:
      move_to(state, model, 0);
      return redraw;
    case Action::last:
      move_to(state, model, row_count(model, state) - 1);
      return redraw;
    case Action::command:
      open_bar(state.bar);
      state.help = false;
      return {.kind = Reaction::Kind::redraw};
    case Action::filter:
      state.editing_filter = true;
      state.help = false;
      state.detail.reset();
      return redraw;
    case Action::open:
      if (state.help || state.detail) return {};
      return open(state, model);
    case Action::back:
      if (state.help)
        state.help = false;
      else if (state.detail)
        state.detail.reset();
      else
        state.filter.clear();
      return redraw;
    case Action::help:
      state.help = !state.help;
      return redraw;
    case Action::quit:
      return {.kind = Reaction::Kind::quit};
  }
  return {};
}

}  // namespace constellation::console::tui
