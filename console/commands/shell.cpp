// `constellation shell`: the interactive shell over this same table (console/shell/shell.hpp):
// completion, history, `;`-separated lines, Ctrl-C for the running command, live event lines.
#include <array>

#include "console/command/context.hpp"
#include "console/commands/commands.hpp"
#include "console/shell/shell.hpp"

namespace constellation::console::commands {
namespace {

constexpr std::array kFlags = {
    FlagSpec{.name = "no-events",
             .help = "do not print the agent's live events above the prompt (`events on` "
                     "turns them back on)"},
};

int exec_shell(Context& context, const ParsedArgs& args) {
  return shell::run_shell(context, shell::ShellOptions{.events = !args.has("no-events")});
}

}  // namespace

const CommandSpec kShell{
    .name = "shell",
    .summary = "an interactive shell for these commands: completion, history, live events",
    .flags = kFlags,
    .needs_agent = true,
    .examples =
        "constellation shell\n"
        "constellation shell --agent http://10.0.0.5:8080 --token-file ~/.ctoken\n"
        "echo 'status; nodes' | constellation shell",
    .exec = exec_shell,
};

}  // namespace constellation::console::commands
