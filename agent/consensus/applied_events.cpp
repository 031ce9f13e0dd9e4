// Applied command -> journal event. The holder, token and previous holder come from the FSM's
// result (the state after the command), so the event says what actually happened on the
// replica rather than what the proposer asked for.
#include "agent/consensus/applied_events.hpp"

#include "agent/consensus/overload.hpp"

namespace constellation::consensus {
namespace {

using nlohmann::json;

json or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

Event lease_event(std::string kind, const std::string& id, const std::string& lease,
                  const std::string& holder, const Applied& applied, std::string actor) {
  return Event{.kind = std::move(kind),
               .subject = lease,
               .detail = {{"lease", lease},
                          {"holder", or_null(holder)},
                          {"token", applied.token},
                          {"previous_holder", or_null(applied.previous)},
                          {"command_id", id}},
               .actor = std::move(actor)};
}

}  // namespace

std::optional<Event> applied_event(const Command& command, const ApplyResult& result) {
  if (!result || result->duplicate) return std::nullopt;
  const Applied& a = *result;
  return std::visit(
      Overload{[&a](const LeaseGrant& c) -> std::optional<Event> {
                 return lease_event(a.previous.empty() ? "lease.granted" : "lease.taken_over", c.id,
                                    c.lease, c.holder, a, "raft");
               },
               [](const LeaseRenew&) -> std::optional<Event> { return std::nullopt; },
               [&a](const LeaseRelease& c) -> std::optional<Event> {
                 return lease_event("lease.released", c.id, c.lease, "", a, c.holder);
               },
               [&a](const LeaseExpire& c) -> std::optional<Event> {
                 return lease_event("lease.expired", c.id, c.lease, "", a, "raft");
               },
               [](const CordonNode& c) -> std::optional<Event> {
                 return Event{.kind = "node.cordoned",
                              .subject = c.node,
                              .detail = {{"node", c.node},
                                         {"reason", c.reason},
                                         {"actor", c.actor},
                                         {"at_unix_ms", c.at_unix_ms},
                                         {"command_id", c.id}},
                              .actor = c.actor};
               },
               [](const UncordonNode& c) -> std::optional<Event> {
                 return Event{.kind = "node.uncordoned",
                              .subject = c.node,
                              .detail = {{"node", c.node},
                                         {"actor", c.actor},
                                         {"at_unix_ms", c.at_unix_ms},
                                         {"command_id", c.id}},
                              .actor = c.actor};
               },
               [&a](const SetConfig& c) -> std::optional<Event> {
                 json keys = json::array();
                 for (const auto& [key, value] : c.values.items()) keys.push_back(key);
                 return Event{
                     .kind = "cluster.config_changed",
                     .subject = "cluster",
                     .detail = {{"version", a.revision}, {"keys", keys}, {"command_id", c.id}},
                     .actor = "raft"};
               }},
      command);
}

std::string applied_command_id(const Event& event) {
  auto it = event.detail.find("command_id");
  return it != event.detail.end() && it->is_string() ? it->get<std::string>() : "";
}

void AppliedEventJournal::seed(std::set<std::string> journaled_ids) {
  journaled_ = std::move(journaled_ids);
  std::vector<Event> waiting = std::move(waiting_);
  waiting_.clear();
  for (Event& event : waiting) emit(std::move(event));
}

void AppliedEventJournal::applied(std::string_view command, std::string_view result) {
  auto decoded = decode(command);
  if (!decoded) return;
  auto event = applied_event(*decoded, decode_result(result));
  if (!event) return;
  if (!journaled_) {
    waiting_.push_back(std::move(*event));
    return;
  }
  emit(std::move(*event));
}

void AppliedEventJournal::emit(Event event) {
  if (journaled_->contains(applied_command_id(event))) return;
  publish_(std::move(event));
}

}  // namespace constellation::consensus
