// `constellation note MESSAGE...`: records an operator annotation in the agent's journal
// (POST /api/v1/events); the server fills in the actor.
#include <array>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"
#include "shared/strings.hpp"

namespace constellation::console::commands {
namespace {

constexpr std::array kFlags = {
    FlagSpec{.name = "subject",
             .type = FlagType::string,
             .value_name = "SUBJECT",
             .help = "what the note is about (a node, service or lease name)"},
};

int exec_note(Context& context, const ParsedArgs& args) {
  nlohmann::json body = {{"message", join(args.positional, " ")}};
  if (auto subject = args.value("subject")) body["subject"] = *subject;
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response = (*client)->post(api_paths::events, body);
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  const auto& event = (*response)["event"];
  if (event.is_object() && event.contains("id"))
    context.out << "recorded event " << event["id"].dump() << '\n';
  else
    context.out << "recorded\n";
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kNote{
    .name = "note",
    .args_usage = "MESSAGE...",
    .summary = "record an operator note in the journal (prints the event id)",
    .flags = kFlags,
    .min_args = 1,
    .max_args = -1,
    .mutates = true,
    .needs_agent = true,
    .examples =
        "constellation note draining node-3 for a kernel upgrade --subject node-3\n"
        "constellation note 'DNS moved to the new zone' -o json",
    .exec = exec_note,
};

}  // namespace constellation::console::commands
