// JSON conversion for Event.
#include "shared/event.hpp"

#include <chrono>

namespace constellation {

nlohmann::json to_json(const Event& event) {
  return nlohmann::json{{"id", event.id},      {"time_ms", event.time_ms}, {"node", event.node},
                        {"kind", event.kind},  {"subject", event.subject}, {"detail", event.detail},
                        {"actor", event.actor}};
}

Result<Event> event_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return fail(ErrorCode::invalid_argument, "event must be a JSON object");
  Event event;
  try {
    event.id = json.value("id", std::int64_t{0});
    event.time_ms = json.value("time_ms", std::int64_t{0});
    event.node = json.value("node", std::string{});
    event.kind = json.value("kind", std::string{});
    event.subject = json.value("subject", std::string{});
    event.actor = json.value("actor", std::string{});
    if (auto it = json.find("detail"); it != json.end()) event.detail = *it;
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::invalid_argument, std::string("malformed event: ") + e.what());
  }
  return event;
}

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace constellation
