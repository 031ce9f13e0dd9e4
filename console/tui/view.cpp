// The frame around every screen (tab bar, status line or the disconnect banner, footer), the
// help and detail overlays, and the row/selection helpers the keymap shares with the views.
#include "console/tui/view.hpp"

#include <algorithm>

#include "console/render/format.hpp"
#include "console/tui/keymap.hpp"
#include "console/tui/screens.hpp"

namespace constellation::console::tui {
namespace {

using detail::filtered_events;
using detail::filtered_nodes;
using detail::filtered_services;

Line tab_bar(const ViewState& state, const Frame& frame) {
  Line line{.text = " constellation ", .style = Style::title};
  for (int i = 0; i < kScreenCount; ++i) {
    auto screen = static_cast<Screen>(i);
    std::string tab = " " + std::to_string(i + 1) + " " + std::string(screen_name(screen)) + " ";
    if (screen == state.screen)
      line.spans.push_back(
          {.start = line.text.size(), .length = tab.size(), .style = Style::selected});
    line.text += tab;
  }
  line.text = fit(line.text, static_cast<std::size_t>(frame.width));
  return line;
}

Line status_line(const ClusterModel& model, const Frame& frame) {
  const Link& link = model.link;
  if (!link.connected && (link.attempt > 0 || !link.error.empty())) {
    std::string dash = frame.utf8 ? "\u2014" : "-";
    std::string text = " agent unreachable " + dash + " reconnecting (attempt " +
                       std::to_string(link.attempt) + ", next in " +
                       std::to_string((link.retry_in_ms + 999) / 1000) + "s): " + link.error;
    return {.text = fit(text, static_cast<std::size_t>(frame.width)), .style = Style::banner};
  }
  if (!link.connected)
    return {.text = fit(" connecting to " + frame.agent + " ...",
                        static_cast<std::size_t>(frame.width)),
            .style = Style::warn};
  int alive = 0, healthy = 0;
  for (const auto& node : model.nodes()) alive += node.state == "alive";
  for (const auto& service : model.services())
    healthy += service.healthy() == static_cast<int>(service.instances.size());
  std::string text = " " + std::to_string(alive) + "/" + std::to_string(model.nodes().size()) +
                     " nodes alive | " + std::to_string(healthy) + "/" +
                     std::to_string(model.services().size()) + " services healthy | live from " +
                     model.agent_node + " (" + frame.agent + ")";
  return {.text = fit(text, static_cast<std::size_t>(frame.width))};
}

Line footer(const ViewState& state, const Frame& frame) {
  std::string text;
  if (state.bar.open) {
    text = " :" + state.bar.text + "_";
    if (!state.bar.candidates.empty()) {
      text += "   ";
      for (const std::string& candidate : state.bar.candidates) text += candidate + " ";
    }
  } else if (state.editing_filter)
    text = " /" + state.filter + "_   (Enter keeps the filter, Esc clears it)";
  else if (!state.message.empty())
    text = " " + state.message;
  else if (!state.filter.empty())
    text = " filter: " + state.filter + "   / edit  Esc clear  ? help  q quit";
  else
    text = " 1-5/Tab screens  j/k move  Enter details  / filter  ? help  q quit";
  return {.text = fit(text, static_cast<std::size_t>(frame.width)), .style = Style::footer};
}

/// JSON as "key: value" lines; nested objects and arrays as dotted and indexed keys.
void flatten(const nlohmann::json& value, const std::string& key, std::vector<std::string>& out) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [name, item] : value.items())
      flatten(item, key.empty() ? name : key + "." + name, out);
  } else if (value.is_array() && !value.empty() &&
             std::any_of(value.begin(), value.end(),
                         [](const nlohmann::json& item) { return item.is_structured(); })) {
    for (std::size_t i = 0; i < value.size(); ++i)
      flatten(value[i], key + "[" + std::to_string(i) + "]", out);
  } else {
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    out.push_back(key + ": " + text);
  }
}

std::vector<Line> overlay(const std::string& title, const std::vector<std::string>& lines,
                          int scroll, std::size_t width, int height) {
  std::vector<Line> body{{.text = fit(" " + title, width), .style = Style::header}};
  int first = std::clamp(scroll, 0, std::max(0, static_cast<int>(lines.size()) - (height - 1)));
  for (int i = first; i < static_cast<int>(lines.size()) && static_cast<int>(body.size()) < height;
       ++i)
    body.push_back({.text = fit(" " + lines[static_cast<std::size_t>(i)], width)});
  return body;
}

std::vector<std::string> help_lines() {
  std::vector<std::string> lines;
  for (const KeyBinding& binding : key_bindings())
    lines.push_back(fit(binding.keys, 14) + std::string(binding.help));
  lines.push_back("");
  lines.push_back("Esc or ? closes this help.");
  return lines;
}

}  // namespace

std::string_view screen_name(Screen screen) {
  switch (screen) {
    case Screen::overview:
      return "Overview";
    case Screen::nodes:
      return "Nodes";
    case Screen::services:
      return "Services";
    case Screen::raft:
      return "Leases & Raft";
    case Screen::events:
      return "Events";
  }
  return "?";
}

std::string fit(std::string_view text, std::size_t width) {
  std::string out;
  std::size_t columns = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 1;
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0xF0)
      length = 4;
    else if (byte >= 0xE0)
      length = 3;
    else if (byte >= 0xC0)
      length = 2;
    if (columns == width) break;
    out.append(text.substr(i, length));
    ++columns;
    i += length;
  }
  out.append(width - columns, ' ');
  return out;
}

int row_count(const ClusterModel& model, const ViewState& state) {
  switch (state.screen) {
    case Screen::nodes:
      return static_cast<int>(filtered_nodes(model, state.filter).size());
    case Screen::services:
      return static_cast<int>(filtered_services(model, state.filter).size());
    case Screen::events:
      return static_cast<int>(filtered_events(model, state.filter).size());
    default:
      return 0;
  }
}

int selected_index(const ClusterModel& model, const ViewState& state) {
  int count = row_count(model, state);
  if (count == 0) return -1;
  int selected = state.selected[static_cast<std::size_t>(state.screen)];
  if (selected < 0 || selected >= count) return count - 1;
  return selected;
}

std::optional<Target> selected_target(const ClusterModel& model, const ViewState& state) {
  int index = selected_index(model, state);
  if (index < 0) return std::nullopt;
  auto i = static_cast<std::size_t>(index);
  switch (state.screen) {
    case Screen::nodes:
      return Target{.kind = Target::Kind::node,
                    .name = filtered_nodes(model, state.filter)[i]->name};
    case Screen::services:
      return Target{.kind = Target::Kind::service,
                    .name = filtered_services(model, state.filter)[i]->name};
    case Screen::events: {
      const Event* event = filtered_events(model, state.filter)[i];
      return Target{.kind = Target::Kind::event, .name = event->kind, .event = to_json(*event)};
    }
    default:
      return std::nullopt;
  }
}

std::vector<Line> render(const ClusterModel& model, const ViewState& state, const Frame& frame) {
  const auto width = static_cast<std::size_t>(std::max(frame.width, 1));
  if (frame.width < 40 || frame.height < 10) {
    std::vector<Line> lines(static_cast<std::size_t>(std::max(frame.height, 1)),
                            Line{.text = fit("", width)});
    lines[0].text = fit("terminal too small: need 40x10", width);
    return lines;
  }
  const int body_height = frame.height - 3;
  std::vector<Line> lines{tab_bar(state, frame), status_line(model, frame)};
  std::vector<Line> body;
  if (state.help) {
    body = overlay("Keys (from the key map)", help_lines(), 0, width, body_height);
  } else if (state.detail) {
    std::vector<std::string> text = state.detail->text;
    if (text.empty()) flatten(state.detail->body, "", text);
    body = overlay(state.detail->title + "   (Esc back, j/k scroll)", text, state.detail->scroll,
                   width, body_height);
  } else {
    body = detail::screen_body(model, state, frame, body_height);
  }
  for (auto& line : body) lines.push_back(std::move(line));
  while (static_cast<int>(lines.size()) < frame.height - 1)
    lines.push_back({.text = fit("", width)});
  lines.resize(static_cast<std::size_t>(frame.height - 1));
  lines.push_back(footer(state, frame));
  return lines;
}

}  // namespace constellation::console::tui
