// `constellation help [COMMAND]`: the overview, one command's help or a group's listing, all
// generated from the command table.
#include "console/command/help.hpp"
#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/command/table.hpp"
#include "console/commands/commands.hpp"
#include "shared/strings.hpp"

namespace constellation::console::commands {
namespace {

int exec_help(Context& context, const ParsedArgs& args) {
  if (args.positional.empty()) {
    context.out << render_overview();
    return exit_codes::ok;
  }
  std::string name = join(args.positional, " ");
  if (const CommandSpec* command = find_command(name); command && !command->hidden) {
    context.out << render_command_help(*command);
    return exit_codes::ok;
  }
  if (is_command_group(name)) {
    context.out << render_group_help(name);
    return exit_codes::ok;
  }
  std::string match = closest_match(name, top_level_words());
  return report(context, Error{ErrorCode::invalid_argument,
                               "no command '" + name + "'" +
                                   (match.empty() ? " (run `constellation help` for the list)"
                                                  : " (did you mean '" + match + "'?)")});
}

}  // namespace

const CommandSpec kHelp{
    .name = "help",
    .args_usage = "[COMMAND]",
    .summary = "show usage, flags and examples for every command or for one",
    .max_args = 2,
    .examples = "constellation help\nconstellation help events\nconstellation help config check",
    .exec = exec_help,
};

}  // namespace constellation::console::commands
