// `constellation events`: the journal's events (GET /api/v1/events) as a table or a JSON
// array; with --follow it then streams new events from /ws, as table lines or NDJSON, until
// interrupted. Streamed events pass the same --kind/--subject filters on the client side.
#include <algorithm>
#include <array>
#include <csignal>

#include <unistd.h>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "console/render/events.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

constexpr std::array kFlags = {
    FlagSpec{.name = "kind",
             .type = FlagType::string,
             .value_name = "KIND",
             .help = "only events of this kind, or of a prefix ending in '.' (agent.)"},
    FlagSpec{.name = "subject",
             .type = FlagType::string,
             .value_name = "SUBJECT",
             .help = "only events about this subject"},
    FlagSpec{.name = "since",
             .type = FlagType::duration,
             .value_name = "DURATION",
             .help = "only events from the last DURATION (90s, 15m, 1h30m, 7d)"},
    FlagSpec{.name = "limit",
             .type = FlagType::integer,
             .value_name = "N",
             .help = "at most N events, the newest ones (default 100, max 10000)"},
    FlagSpec{.name = "follow",
             .help = "after the recent events, stream new ones as they happen (Ctrl-C stops)"},
};

std::string query_string(const ParsedArgs& args) {
  std::string query;
  for (const char* name : {"since", "kind", "subject", "limit"}) {
    auto value = args.value(name);
    if (!value) continue;
    query += (query.empty() ? "?" : "&") + std::string(name) + "=" + url_encode(*value);
  }
  return query;
}

bool matches(const Event& event, const ParsedArgs& args) {
  if (auto kind = args.value("kind")) {
    bool prefix = kind->ends_with('.');
    if (prefix ? !event.kind.starts_with(*kind) : event.kind != *kind) return false;
  }
  if (auto subject = args.value("subject"); subject && event.subject != *subject) return false;
  return true;
}

/// Prints events oldest first and remembers the newest id, so the stream never repeats one.
class EventPrinter {
 public:
  EventPrinter(Context& context, const ParsedArgs& args) : context_(context), args_(args) {}

  void print(const Event& event) {
    if (event.id != 0 && event.id <= last_id_) return;
    if (!matches(event, args_)) return;
    last_id_ = std::max(last_id_, event.id);
    if (context_.format == OutputFormat::json) {
      print_json_line(context_, to_json(event));
    } else {
      context_.out << follow_line(event);
      context_.out.flush();
    }
  }
  void seen(std::int64_t id) { last_id_ = std::max(last_id_, id); }

 private:
  Context& context_;
  const ParsedArgs& args_;
  std::int64_t last_id_ = 0;
};

Result<std::vector<Event>> events_from(const nlohmann::json& array) {
  std::vector<Event> events;
  if (!array.is_array())
    return fail(ErrorCode::internal, "the agent's answer has no \"events\" array");
  for (const auto& item : array) {
    auto event = event_from_json(item);
    if (!event) return std::unexpected(event.error());
    events.push_back(std::move(*event));
  }
  return events;
}

[[noreturn]] void exit_on_interrupt(int) {
  _exit(exit_codes::ok);
}

int follow(Context& context, const ParsedArgs& args, ApiClient& client,
           const std::vector<Event>& recent) {
  // Every line is flushed as it is printed, so leaving at once on Ctrl-C loses nothing.
  std::signal(SIGINT, exit_on_interrupt);
  EventPrinter printer(context, args);
  for (const Event& event : recent) printer.seen(event.id);
  auto stream = client.subscribe();
  if (!stream) return report(context, stream.error());
  for (;;) {
    auto message = (*stream)->next();
    if (!message) return report(context, message.error());
    std::string type = message->value("type", "");
    if (type == "resync") {
      context.err << "the event stream fell behind and is resynchronising; events may be "
                     "missing\n";
    } else if (type == "snapshot") {
      auto events = events_from(message->value("events", nlohmann::json::array()));
      if (!events) return report(context, events.error());
      for (const Event& event : *events) printer.print(event);
    } else if (type == "event") {
      auto event = event_from_json(message->value("event", nlohmann::json::object()));
      if (!event) return report(context, event.error());
      printer.print(*event);
    }
  }
}

int exec_events(Context& context, const ParsedArgs& args) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response = (*client)->get(std::string(api_paths::events) + query_string(args));
  if (!response) return report(context, response.error());
  const auto array = response->value("events", nlohmann::json());
  auto events = events_from(array);
  if (!events) return report(context, events.error());

  bool following = args.has("follow");
  if (context.format == OutputFormat::json) {
    if (following)
      for (const auto& event : array) print_json_line(context, event);
    else
      print_json(context, array);
  } else if (following) {
    context.out << follow_heading();
    for (const Event& event : *events) context.out << follow_line(event);
    context.out.flush();
  } else {
    context.out << render_table(events_table(*events));
  }
  if (!following) return exit_codes::ok;
  return follow(context, args, **client, *events);
}

}  // namespace

const CommandSpec kEvents{
    .name = "events",
    .summary = "show journal events (TIME NODE KIND SUBJECT DETAIL); --follow streams new ones",
    .flags = kFlags,
    .needs_agent = true,
    .examples =
        "constellation events --since 1h\n"
        "constellation events --kind agent. --limit 20\n"
        "constellation events --follow -o json | jq .kind",
    .exec = exec_events,
};

}  // namespace constellation::console::commands
