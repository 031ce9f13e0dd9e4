// Event rendering for `events` and `events --follow` (see events.hpp).
#include "console/render/events.hpp"

#include "console/render/format.hpp"

namespace constellation::console {
namespace {

std::vector<std::string> cells(const Event& event) {
  return {format_time_ms(event.time_ms), event.node, event.kind,
          event.subject.empty() ? "-" : event.subject, event_detail_text(event)};
}

constexpr std::size_t kFollowWidths[] = {20, 12, 20, 16};

std::string fixed_line(const std::vector<std::string>& row) {
  std::string line;
  for (std::size_t i = 0; i < row.size(); ++i) {
    line += row[i];
    if (i + 1 == row.size()) break;
    std::size_t width = display_width(row[i]);
    line.append(width < kFollowWidths[i] ? kFollowWidths[i] - width : 0, ' ');
    line += "  ";
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

}  // namespace

std::string event_detail_text(const Event& event) {
  std::string out;
  const auto& detail = event.detail;
  if (!detail.is_object()) return detail.is_null() ? "" : detail.dump();
  if (auto it = detail.find("message"); it != detail.end() && it->is_string())
    out = it->get<std::string>();
  for (auto it = detail.begin(); it != detail.end(); ++it) {
    if (it.key() == "message" && it->is_string()) continue;
    if (!out.empty()) out += ' ';
    out += it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump());
  }
  return out;
}

Table events_table(const std::vector<Event>& events) {
  Table table{.columns = {"time", "node", "kind", "subject", "detail"}, .rows = {}};
  for (const Event& event : events) table.rows.push_back(cells(event));
  return table;
}

std::string follow_heading() {
  return fixed_line({"TIME", "NODE", "KIND", "SUBJECT", "DETAIL"});
}

std::string follow_line(const Event& event) {
  return fixed_line(cells(event));
}

}  // namespace constellation::console
