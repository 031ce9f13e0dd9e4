// Table rendering, JSON printing and error reporting (see output.hpp).
#include "console/command/output.hpp"

#include <algorithm>
#include <cctype>

namespace constellation::console {
namespace {

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

void append_row(std::string& out, const std::vector<std::string>& cells,
                const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) line += "  ";
    line += cells[i];
    if (i + 1 < cells.size()) line.append(widths[i] - display_width(cells[i]), ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out += line;
  out += '\n';
}

}  // namespace

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string render_table(const Table& table) {
  std::vector<std::string> heading;
  for (const auto& column : table.columns) heading.push_back(upper(column));
  std::vector<std::size_t> widths(heading.size());
  auto widen = [&](const std::vector<std::string>& cells) {
    if (widths.size() < cells.size()) widths.resize(cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i)
      widths[i] = std::max(widths[i], display_width(cells[i]));
  };
  widen(heading);
  for (const auto& row : table.rows) widen(row);
  std::string out;
  if (!heading.empty()) append_row(out, heading, widths);
  for (const auto& row : table.rows) append_row(out, row, widths);
  return out;
}

std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
  Table table;
  for (const auto& [label, value] : fields) table.rows.push_back({label, value});
  return render_table(table);
}

void print_json(Context& context, const nlohmann::json& document) {
  context.out << document.dump(2) << '\n';
}

void print_json_line(Context& context, const nlohmann::json& document) {
  context.out << document.dump() << '\n';
  context.out.flush();
}

int report(Context& context, const Error& error) {
  context.err << error.message << '\n';
  return exit_code(error.code);
}

std::string cell(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::vector<std::string> cells(const nlohmann::json& object, std::string_view key) {
  std::vector<std::string> out;
  if (!object.is_object()) return out;
  auto it = object.find(key);
  if (it == object.end() || !(it->is_array() || it->is_object())) return out;
  for (const auto& item : *it)
    out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return out;
}

}  // namespace constellation::console
