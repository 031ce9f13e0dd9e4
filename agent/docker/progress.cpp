// Progress stream parsing; see progress.hpp.
#include "agent/docker/progress.hpp"

#include <nlohmann/json.hpp>

namespace constellation::docker {

namespace {
using nlohmann::json;

std::string string_field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

Result<ProgressMessage> parse_progress_line(std::string_view line) {
  auto j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return fail(ErrorCode::invalid_argument,
                "malformed Docker progress line: " + std::string(line.substr(0, 200)));
  }
  ProgressMessage m;
  m.stream = string_field(j, "stream");
  m.status = string_field(j, "status");
  m.id = string_field(j, "id");
  if (auto aux = j.find("aux"); aux != j.end() && aux->is_object()) {
    m.aux_id = string_field(*aux, "ID");
  }
  if (auto detail = j.find("errorDetail"); detail != j.end() && detail->is_object()) {
    if (auto msg = string_field(*detail, "message"); !msg.empty()) m.error = msg;
  }
  if (auto err = j.find("error"); err != j.end() && !err->is_null()) {
    if (!m.error) m.error = err->is_string() ? err->get<std::string>() : err->dump();
  }
  return m;
}

ProgressStream::ProgressStream(std::string what, Callback on_message)
    : what_(std::move(what)), on_message_(std::move(on_message)) {}

void ProgressStream::on_line(std::string_view line) {
  auto m = parse_progress_line(line);
  if (!m) {
    if (!error_) error_ = Error{ErrorCode::internal, what_ + ": " + m.error().message};
    return;
  }
  result_.log += m->stream;
  if (!m->aux_id.empty()) result_.image_id = m->aux_id;
  if (m->error && !error_) error_ = Error{ErrorCode::internal, what_ + " failed: " + *m->error};
  if (on_message_) on_message_(*m);
}

Status ProgressStream::feed(std::string_view fragment) {
  return splitter_.feed(fragment, [this](std::string_view line) { on_line(line); });
}

Result<BuildResult> ProgressStream::finish() {
  if (auto rest = splitter_.take_rest(); !rest.empty()) on_line(rest);
  if (error_) return std::unexpected(*error_);
  return result_;
}

}  // namespace constellation::docker
