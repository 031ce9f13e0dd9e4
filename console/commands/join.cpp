// `constellation join ADDR...`: asks the agent to join gossip seeds (POST /api/v1/join); the
// join itself runs in the agent, retried with backoff, so this returns once it has started.
#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

int exec_join(Context& context, const ParsedArgs& args) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response = (*client)->post(api_paths::join, {{"addresses", args.positional}});
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  for (const auto& address : response->value("joining", nlohmann::json::array()))
    context.out << "joining " << (address.is_string() ? address.get<std::string>() : address.dump())
                << '\n';
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kJoin{
    .name = "join",
    .args_usage = "ADDR...",
    .summary = "make the agent join gossip members at HOST or HOST:PORT (default port 7946)",
    .min_args = 1,
    .max_args = -1,
    .mutates = true,
    .needs_agent = true,
    .examples = "constellation join 100.64.0.11\nconstellation join 127.0.0.1:7947 -o json",
    .exec = exec_join,
};

}  // namespace constellation::console::commands
