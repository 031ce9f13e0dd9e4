// See dispatch.hpp.
#include "console/command/dispatch.hpp"

#include "console/command/help.hpp"
#include "console/command/parse.hpp"
#include "console/command/table.hpp"
#include "shared/strings.hpp"

namespace constellation::console {
namespace {

std::optional<std::string> env(const Context& context, std::string_view name) {
  if (!context.getenv) return std::nullopt;
  auto value = context.getenv(std::string(name));
  if (!value || value->empty()) return std::nullopt;
  return value;
}

void apply_globals(Context& context, const GlobalOptions& globals) {
  if (globals.output) context.format = *globals.output;
  if (auto agent = globals.agent ? globals.agent : env(context, kAgentEnv)) {
    context.agent_address = *agent;
    context.agent_address_given = true;
  }
  if (auto token = globals.token_file ? globals.token_file : env(context, kTokenFileEnv))
    context.token_file = *token;
}

}  // namespace

int dispatch(Context& context, std::span<const std::string> words) {
  auto parsed = parse_command_line(words);
  if (!parsed) return report(context, parsed.error());
  apply_globals(context, parsed->globals);
  const CommandSpec* command = parsed->command;

  if (parsed->globals.help && !(command && command->mode == ArgsMode::raw)) {
    if (command)
      context.out << render_command_help(*command);
    else if (!parsed->group.empty())
      context.out << render_group_help(parsed->group);
    else
      context.out << render_overview();
    return exit_codes::ok;
  }
  if (!command) {
    if (!parsed->group.empty())
      return report(context, Error{ErrorCode::invalid_argument,
                                   "'" + parsed->group + "' needs a sub-command: " +
                                       join(sub_command_words(parsed->group), " or ") +
                                       " (see `constellation help " + parsed->group + "`)"});
    context.err << render_overview();
    return exit_codes::usage;
  }
  return command->exec(context, *parsed);
}

}  // namespace constellation::console
