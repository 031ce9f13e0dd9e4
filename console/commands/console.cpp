// `constellation console`: the live ncurses TUI over the agent's REST API and /ws (see
// console/tui/app.hpp). The row checks the agent address before curses takes the terminal, so
// a typo is reported as a plain one-line error.
#include <sstream>

#include "console/command/context.hpp"
#include "console/command/dispatch.hpp"
#include "console/commands/commands.hpp"
#include "console/shell/command_runner.hpp"
#include "console/shell/completion.hpp"
#include "console/shell/history_file.hpp"
#include "console/tui/app.hpp"

namespace constellation::console::commands {
namespace {

/// A `:` line run in-process into a string, through the same dispatcher as the one-shot CLI;
/// the line joins the shell's history.
tui::CommandRun run_bar_command(const Context& context, const std::string& history,
                                const std::string& line) {
  if (!history.empty()) (void)shell::append_history_line(history, line);
  auto commands = shell::split_command_line(line);
  if (!commands) return {.exit_code = exit_codes::usage, .output = commands.error().message};
  std::ostringstream output;
  int code = exit_codes::ok;
  for (const auto& words : *commands) {
    if (auto why = tui::bar_refuses(words)) return {.exit_code = exit_codes::usage, .output = *why};
    Context command = shell::command_context(context, output, output);
    command.is_tty = false;
    code = dispatch(command, words);
  }
  return {.exit_code = code, .output = output.str()};
}

int exec_console(Context& context, const ParsedArgs&) {
  if (auto client = context.client(); !client) return report(context, client.error());
  tui::TuiOptions options{.connect = [make = context.make_client, address = context.agent_address,
                                      token = context.token_file] { return make(address, token); },
                          .agent = context.agent_address};
  auto history = shell::history_path(context.getenv);
  std::string history_file = history ? *history : std::string();
  options.run_command = [&context, history_file](const std::string& line) {
    return run_bar_command(context, history_file, line);
  };
  options.complete = [&context](const std::vector<std::string>& words) {
    return shell::shell_candidates(context, words);
  };
  if (!history_file.empty())
    options.history = shell::read_history_lines(history_file, tui::kBarHistory);
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
