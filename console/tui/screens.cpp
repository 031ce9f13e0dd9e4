// The bodies of the five screens: Overview, Nodes, Services (service x node matrix), Leases &
// Raft (a placeholder that says why it is empty) and Events. Tables keep their header and
// scroll their rows so the selected one stays visible.
#include <algorithm>
#include <cctype>
#include <ctime>

#include "console/render/events.hpp"
#include "console/tui/screens.hpp"
#include "shared/strings.hpp"

namespace constellation::console::tui::detail {
namespace {

bool contains_folded(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it != haystack.end();
}

std::string or_dash(const std::string& text) {
  return text.empty() ? "-" : text;
}

/// "1/2 healthy" from the node's instance counts; "-" without instances.
std::string counts_text(const std::map<std::string, int>& counts) {
  int total = 0, healthy = 0;
  for (const auto& [status, count] : counts) {
    total += count;
    if (status == "healthy" || status == "running") healthy += count;
  }
  return total == 0 ? "-" : std::to_string(healthy) + "/" + std::to_string(total) + " healthy";
}

std::vector<std::string> node_cells(const ClusterModel& model, const NodeRow& node,
                                    std::int64_t now_ms) {
  return {node.name + (node.self ? "*" : ""),
          node.state,
          std::to_string(node.priority),
          node.capabilities.empty() ? "-" : join(node.capabilities, ","),
          or_dash(node.address),
          or_dash(node.public_ip),
          or_dash(node.tailscale_ip),
          counts_text(model.services_of(node.name)),
          age(now_ms, node.changed_ms)};
}

std::string clock_time(std::int64_t time_ms) {
  std::time_t seconds = static_cast<std::time_t>(time_ms / 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%H:%M:%S", &tm);
  return text;
}

std::vector<std::string> event_cells(const Event& event) {
  return {clock_time(event.time_ms), event.node, event.kind, or_dash(event.subject),
          event_detail_text(event)};
}

/// Column widths: each column's widest cell, then the widest columns give way until the
/// row fits `width` (two spaces between columns, one leading space).
std::vector<std::size_t> column_widths(const std::vector<std::string>& headings,
                                       const std::vector<std::vector<std::string>>& rows,
                                       std::size_t width) {
  std::vector<std::size_t> widths;
  for (const auto& heading : headings) widths.push_back(heading.size());
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  auto total = [&] {
    std::size_t sum = 1;
    for (auto w : widths) sum += w + 2;
    return sum - 2;
  };
  while (total() > width) {
    auto widest = std::max_element(widths.begin(), widths.end());
    if (*widest <= 4) break;
    --*widest;
  }
  return widths;
}

/// Removes whole columns, in `order` (indices, highest first), while the measured table is
/// wider than `width`: at 80 columns a missing column reads better than every cell cut short.
void drop_columns_to_fit(std::vector<std::string>& headings,
                         std::vector<std::vector<std::string>>& rows, std::size_t width,
                         const std::vector<std::size_t>& order) {
  for (std::size_t column : order) {
    std::size_t total = 1;
    for (auto w : column_widths(headings, rows, 100000)) total += w + 2;
    if (total - 2 <= width) return;
    headings.erase(headings.begin() + static_cast<std::ptrdiff_t>(column));
    for (auto& row : rows)
      if (column < row.size()) row.erase(row.begin() + static_cast<std::ptrdiff_t>(column));
  }
}

/// One table row as a line; `status_column` (if any) gets its value's colour.
Line table_line(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths,
                std::size_t width, Style style, int status_column) {
  Line line{.text = " ", .style = style};
  for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
    if (static_cast<int>(i) == status_column && style == Style::normal)
      line.spans.push_back(
          {.start = line.text.size(), .length = widths[i], .style = status_style(cells[i])});
    line.text += fit(cells[i], widths[i]);
    if (i + 1 < cells.size()) line.text += "  ";
  }
  line.text = fit(line.text, width);
  return line;
}

/// The first row shown when `height` lines (header included) must show row `selected`.
int first_row(int selected, int height) {
  return std::max(0, selected - std::max(1, height - 1) + 1);
}

/// A scrolling table: header then the rows around the selected one. `fixed` widths, when
/// given, replace the measured ones (the last column takes what is left).
std::vector<Line> table(const std::vector<std::string>& headings,
                        const std::vector<std::vector<std::string>>& rows, int selected,
                        std::size_t width, int height, int status_column, const std::string& empty,
                        std::vector<std::size_t> fixed = {}) {
  auto widths = fixed.empty() ? column_widths(headings, rows, width) : std::move(fixed);
  std::vector<Line> lines{table_line(headings, widths, width, Style::header, -1)};
  if (rows.empty()) {
    lines.push_back({.text = fit(" " + empty, width)});
    return lines;
  }
  const int visible = std::max(1, height - 1);
  const int first = first_row(selected, height);
  for (int i = first; i < static_cast<int>(rows.size()) && i < first + visible; ++i)
    lines.push_back(table_line(rows[static_cast<std::size_t>(i)], widths, width,
                               i == selected ? Style::selected : Style::normal, status_column));
  return lines;
}

/// Fixed event columns, so they stay still while events stream in: TIME NODE KIND SUBJECT,
/// then DETAIL takes the rest of the line.
std::vector<std::size_t> event_widths(std::size_t width) {
  std::vector<std::size_t> widths{8, 12, 22, 16};
  std::size_t used = 1 + 8 + 12 + 22 + 16 + 4 * 2;
  widths.push_back(width > used ? width - used : 1);
  return widths;
}

std::vector<Line> overview(const ClusterModel& model, const Frame& frame, int height) {
  const auto width = static_cast<std::size_t>(frame.width);
  std::map<std::string, int> states;
  for (const auto& node : model.nodes()) ++states[node.state];
  int healthy_services = 0, instances = 0, healthy_instances = 0;
  for (const auto& service : model.services()) {
    healthy_services += service.healthy() == static_cast<int>(service.instances.size());
    instances += static_cast<int>(service.instances.size());
    healthy_instances += service.healthy();
  }
  std::vector<Line> lines{
      {.text = fit("", width)},
      {.text = fit(" Nodes      " + std::to_string(states["alive"]) + "/" +
                       std::to_string(model.nodes().size()) + " alive   (" +
                       std::to_string(states["suspect"]) + " suspect, " +
                       std::to_string(states["dead"]) + " dead, " + std::to_string(states["left"]) +
                       " left)",
                   width)},
      {.text = fit(" Services   " + std::to_string(healthy_services) + "/" +
                       std::to_string(model.services().size()) + " healthy   (" +
                       std::to_string(healthy_instances) + "/" + std::to_string(instances) +
                       " instances healthy)",
                   width)},
      {.text = fit(" Leases     not available from this agent (screen 4 says why)", width)},
      {.text = fit("", width)},
      {.text = fit(" Latest events", width), .style = Style::header},
  };
  const int room = height - static_cast<int>(lines.size());
  auto events = filtered_events(model, "");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = events.size() > static_cast<std::size_t>(std::max(room - 1, 0))
                           ? events.size() - static_cast<std::size_t>(room - 1)
                           : 0;
       i < events.size(); ++i)
    rows.push_back(event_cells(*events[i]));
  auto latest = table({"TIME", "NODE", "KIND", "SUBJECT", "DETAIL"}, rows, -2, width, room, -1,
                      "no events yet", event_widths(width));
  for (auto& line : latest) lines.push_back(std::move(line));
  return lines;
}

std::vector<Line> raft_placeholder(const Frame& frame) {
  const auto width = static_cast<std::size_t>(frame.width);
  std::vector<Line> lines{
      {.text = fit("", width)},
      {.text = fit(" Leases & Raft: not available from this agent", width), .style = Style::header},
      {.text = fit("", width)}};
  const std::string why =
      "This agent does not run the consensus subsystem yet: it serves no lease or Raft "
      "endpoint, so there are no lease holders, fencing tokens, expiry times, voters or terms "
      "to show. Nothing on this screen is simulated; it fills in once the agent reports leases "
      "and Raft state through its API.";
  for (const auto& text : wrap(why, width - 2)) lines.push_back({.text = fit(" " + text, width)});
  return lines;
}

}  // namespace

std::vector<const NodeRow*> filtered_nodes(const ClusterModel& model, const std::string& filter) {
  std::vector<const NodeRow*> out;
  for (const auto& node : model.nodes())
    if (contains_folded(join(node_cells(model, node, 0), " "), filter)) out.push_back(&node);
  return out;
}

std::vector<const ServiceRow*> filtered_services(const ClusterModel& model,
                                                 const std::string& filter) {
  std::vector<const ServiceRow*> out;
  for (const auto& service : model.services()) {
    std::string text = service.name;
    for (const auto& instance : service.instances)
      text += " " + instance.node + " " + instance.status;
    if (contains_folded(text, filter)) out.push_back(&service);
  }
  return out;
}

std::vector<const Event*> filtered_events(const ClusterModel& model, const std::string& filter) {
  std::vector<const Event*> out;
  for (const auto& event : model.events())
    if (filter.empty() || contains_folded(join(event_cells(event), " "), filter))
      out.push_back(&event);
  return out;
}

std::vector<std::string> matrix_nodes(const ClusterModel& model) {
  std::vector<std::string> names;
  for (const auto& node : model.nodes()) names.push_back(node.name);
  for (const auto& service : model.services())
    for (const auto& instance : service.instances) names.push_back(instance.node);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<Line> screen_body(const ClusterModel& model, const ViewState& state, const Frame& frame,
                              int height) {
  const auto width = static_cast<std::size_t>(frame.width);
  const int selected = selected_index(model, state);
  switch (state.screen) {
    case Screen::overview:
      return overview(model, frame, height);
    case Screen::nodes: {
      std::vector<std::vector<std::string>> rows;
      for (const NodeRow* node : filtered_nodes(model, state.filter))
        rows.push_back(node_cells(model, *node, frame.now_ms));
      std::vector<std::string> headings{"NAME",         "STATE",    "PRIO",
                                        "CAPS",         "ADDRESS",  "PUBLIC IP",
                                        "TAILSCALE IP", "SERVICES", "CHANGED"};
      // The gossip address and the capabilities give way first (Enter shows them).
      drop_columns_to_fit(headings, rows, width, {4, 3});
      return table(headings, rows, selected, width, height, 1,
                   state.filter.empty() ? "no nodes known yet" : "no node matches the filter");
    }
    case Screen::services: {
      const auto nodes = matrix_nodes(model);
      std::vector<std::string> headings{"SERVICE", "HEALTHY"};
      headings.insert(headings.end(), nodes.begin(), nodes.end());
      std::vector<std::vector<std::string>> rows;
      for (const ServiceRow* service : filtered_services(model, state.filter)) {
        std::vector<std::string> row{service->name, std::to_string(service->healthy()) + "/" +
                                                        std::to_string(service->instances.size())};
        for (const auto& node : nodes) {
          auto it = std::find_if(service->instances.begin(), service->instances.end(),
                                 [&](const Instance& i) { return i.node == node; });
          row.push_back(it == service->instances.end() ? "-" : it->status);
        }
        rows.push_back(std::move(row));
      }
      auto lines = table(headings, rows, selected, width, height, -1,
                         state.filter.empty() ? "no services reported by any node"
                                              : "no service matches the filter");
      // Colour every matrix cell by its health.
      auto widths = column_widths(headings, rows, width);
      for (std::size_t l = 1; l < lines.size() && !rows.empty(); ++l) {
        if (lines[l].style != Style::normal) continue;
        std::size_t column = 1 + widths[0] + 2 + widths[1] + 2;
        const auto& row = rows[static_cast<std::size_t>(first_row(selected, height)) + l - 1];
        for (std::size_t c = 2; c < widths.size() && column < width; ++c) {
          lines[l].spans.push_back({.start = column,
                                    .length = std::min(widths[c], width - column),
                                    .style = status_style(row[c])});
          column += widths[c] + 2;
        }
      }
      return lines;
    }
    case Screen::raft:
      return raft_placeholder(frame);
    case Screen::events: {
      std::vector<std::vector<std::string>> rows;
      for (const Event* event : filtered_events(model, state.filter))
        rows.push_back(event_cells(*event));
      return table({"TIME", "NODE", "KIND", "SUBJECT", "DETAIL"}, rows, selected, width, height, -1,
                   state.filter.empty() ? "no events yet" : "no event matches the filter",
                   event_widths(width));
    }
  }
  return {};
}

std::string age(std::int64_t now_ms, std::int64_t then_ms) {
  if (then_ms <= 0) return "-";
  std::int64_t seconds = std::max<std::int64_t>(0, (now_ms - then_ms) / 1000);
  if (seconds < 60) return std::to_string(seconds) + "s ago";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m ago";
  if (seconds < 86400) return std::to_string(seconds / 3600) + "h ago";
  return std::to_string(seconds / 86400) + "d ago";
}

Style status_style(const std::string& status) {
  if (status == "alive" || status == "healthy" || status == "running") return Style::good;
  if (status == "suspect" || status == "starting") return Style::warn;
  if (status == "dead" || status == "left" || status == "unhealthy" || status == "stopped")
    return Style::bad;
  return Style::normal;
}

std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  for (const auto& word : split(text, ' ')) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace constellation::console::tui::detail
