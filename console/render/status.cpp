// Status rendering (see status.hpp).
#include "console/render/status.hpp"

#include <chrono>

#include "console/command/output.hpp"
#include "console/render/format.hpp"
#include "shared/duration.hpp"

namespace constellation::console {
namespace {

std::string text_of(const nlohmann::json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::string field(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) return "-";
  return text_of(object[key]);
}

std::int64_t number(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number_integer()) return 0;
  return object[key].get<std::int64_t>();
}

}  // namespace

std::string render_status(const nlohmann::json& status) {
  const nlohmann::json empty = nlohmann::json::object();
  const auto& listen = status.contains("listen") ? status["listen"] : empty;
  const auto& journal = status.contains("journal") ? status["journal"] : empty;
  std::string uptime = "-";
  if (status.contains("uptime_ms") && status["uptime_ms"].is_number_integer())
    uptime = format_duration(std::chrono::milliseconds(number(status, "uptime_ms")));

  std::string journal_text = "-";
  if (journal.is_object() && !journal.empty())
    journal_text = field(journal, "events") + " events, " + format_bytes(number(journal, "bytes")) +
                   ", " + format_time_ms(number(journal, "oldest_ms")) + " .. " +
                   format_time_ms(number(journal, "newest_ms"));

  std::string out = render_fields({
      {"node", field(status, "node")},
      {"version", field(status, "version") + " (api " + field(status, "api_version") + ")"},
      {"pid", field(status, "pid")},
      {"started", format_time_ms(number(status, "started_at_ms"))},
      {"uptime", uptime},
      {"data dir", field(status, "data_dir")},
      {"api", field(listen, "api")},
      {"socket", field(listen, "socket")},
      {"journal", journal_text},
      {"ws clients", field(status, "ws_clients")},
  });
  if (status.contains("subsystems") && status["subsystems"].is_array()) {
    Table subsystems{.columns = {"subsystem", "state"}, .rows = {}};
    for (const auto& row : status["subsystems"])
      subsystems.rows.push_back({field(row, "name"), field(row, "state")});
    out += "\n" + render_table(subsystems);
  }
  return out;
}

}  // namespace constellation::console
