// `constellation __complete WORDS...` (hidden): completion candidates, one per line, for the
// bash completion script. Never fails: a line it cannot make sense of gets no candidates.
#include "console/command/complete.hpp"
#include "console/command/context.hpp"
#include "console/commands/commands.hpp"

namespace constellation::console::commands {
namespace {

int exec_complete(Context& context, const ParsedArgs& args) {
  for (const std::string& candidate : complete(args.positional)) context.out << candidate << '\n';
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kComplete{
    .name = "__complete",
    .args_usage = "WORDS...",
    .summary = "print completion candidates for a partial command line",
    .max_args = -1,
    .hidden = true,
    .mode = ArgsMode::raw,
    .exec = exec_complete,
};

}  // namespace constellation::console::commands
