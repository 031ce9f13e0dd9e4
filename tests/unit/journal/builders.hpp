// Short builders for test events and queries. g++ 12 warns (-Wmissing-field-initializers)
// about designated initializers that omit members without default initializers, which
// Event and EventQuery have, so tests build them through these instead.
#pragma once

#include <cstdint>
#include <string>

#include "shared/event.hpp"

namespace constellation::journal::testing {

/// An event of `kind` at `time_ms` (0: the journal fills in now).
inline Event make_event(std::string kind, std::int64_t time_ms = 0,
                        nlohmann::json detail = nlohmann::json::object(),
                        std::string subject = {}) {
  Event event;
  event.time_ms = time_ms;
  event.kind = std::move(kind);
  event.detail = std::move(detail);
  event.subject = std::move(subject);
  return event;
}

/// EventQuery with chainable setters: Query().of_kind("agent.").limited(5).
struct Query : EventQuery {
  Query& since(std::int64_t ms) { return set(since_ms, ms); }
  Query& until(std::int64_t ms) { return set(until_ms, ms); }
  Query& of_kind(std::string value) { return set(kind, std::move(value)); }
  Query& about(std::string value) { return set(subject, std::move(value)); }
  Query& after(std::int64_t id) { return set(after_id, id); }
  Query& limited(int value) {
    limit = value;
    return *this;
  }

 private:
  template <typename Field, typename Value>
  Query& set(Field& field, Value value) {
    field = std::move(value);
    return *this;
  }
};

}  // namespace constellation::journal::testing
