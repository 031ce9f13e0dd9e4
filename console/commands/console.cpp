// `constellation console`: the live ncurses TUI over the agent's REST API and /ws (see
// console/tui/app.hpp). The row checks the agent address before curses takes the terminal, so
// a typo is reported as a plain one-line error.
#include "console/command/context.hpp"
#include "console/commands/commands.hpp"
#include "console/tui/app.hpp"

namespace constellation::console::commands {
namespace {

int exec_console(Context& context, const ParsedArgs&) {
  if (auto client = context.client(); !client) return report(context, client.error());
  tui::TuiOptions options{.connect = [make = context.make_client, address = context.agent_address,
                                      token = context.token_file] { return make(address, token); },
                          .agent = context.agent_address};
  return tui::run_tui(options, context.err);
}

}  // namespace

const CommandSpec kConsole{
    .name = "console",
    .summary = "open the live TUI: overview, nodes, services, leases & raft, events (? for keys)",
    .needs_agent = true,
    .examples = "constellation console\nconstellation console --agent http://10.0.0.5:8080",
    .exec = exec_console,
};

}  // namespace constellation::console::commands
