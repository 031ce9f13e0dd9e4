// Output helpers shared by every command: the Table model and its pure text renderer
// (golden-tested), JSON printing, and error reporting with the right exit code. A command
// builds data, turns it into a Table for humans, and serialises the data itself for -o json.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "console/command/context.hpp"

namespace constellation::console {

/// A table model: column headings and rows of cells (rows may be shorter than `columns`).
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

/// Columns a string takes on a terminal, counted as UTF-8 code points (good enough for the
/// accented and CJK-free text a cluster produces; wide glyphs count as one).
std::size_t display_width(std::string_view text);

/// Renders `table` as aligned text: upper-case headings (omitted when `columns` is empty),
/// columns separated by two spaces, no trailing spaces, one '\n' after every line. Width is
/// counted in UTF-8 code points.
std::string render_table(const Table& table);

/// A JSON field as a table cell: strings as they are, other values dumped, absent as "".
std::string cell(const nlohmann::json& object, std::string_view key);
/// The items of an array field, or the values of an object field, as strings.
std::vector<std::string> cells(const nlohmann::json& object, std::string_view key);

/// Renders label/value pairs as "label  value" lines with the values aligned.
std::string render_fields(const std::vector<std::pair<std::string, std::string>>& fields);

/// Prints a JSON document (pretty, 2-space indent) followed by a newline.
void print_json(Context& context, const nlohmann::json& document);

/// Prints one NDJSON line (compact) and flushes, for --follow streams.
void print_json_line(Context& context, const nlohmann::json& document);

}  // namespace constellation::console
