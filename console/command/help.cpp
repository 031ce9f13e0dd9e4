// Help text generated from the command table (see help.hpp). Flag descriptions are
// wrapped-free single lines; the terminal wraps them.
#include "console/command/help.hpp"

#include "console/command/output.hpp"
#include "console/command/parse.hpp"
#include "console/command/table.hpp"

namespace constellation::console {
namespace {

void append_flag_rows(Table& table, std::span<const FlagSpec> flags) {
  for (const FlagSpec& flag : flags)
    table.rows.push_back({"  " + flag_usage(flag), std::string(flag.help)});
}

std::string indent_examples(std::string_view examples) {
  std::string out;
  std::size_t start = 0;
  while (start < examples.size()) {
    std::size_t end = examples.find('\n', start);
    if (end == std::string_view::npos) end = examples.size();
    if (end > start) out += "  " + std::string(examples.substr(start, end - start)) + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string usage_line(const CommandSpec& command) {
  std::string out = "constellation " + std::string(command.name);
  for (const FlagSpec& flag : command.flags) {
    out += " [--" + std::string(flag.name);
    if (flag.type != FlagType::boolean)
      out += " " + std::string(flag.value_name.empty() ? "VALUE" : flag.value_name);
    out += "]";
  }
  if (command.agent_options) out += " [AGENT-OPTION...]";
  if (!command.args_usage.empty()) out += " " + std::string(command.args_usage);
  return out;
}

std::string render_overview() {
  std::string out = "usage: constellation COMMAND [FLAGS] [ARGS]\n\ncommands:\n";
  Table commands;
  for (const CommandSpec* command : command_table()) {
    if (command->hidden) continue;
    std::string summary(command->summary);
    if (command->mutates) summary += " (mutates)";
    commands.rows.push_back({"  " + std::string(command->name), summary});
  }
  out += render_table(commands);
  out += "\nglobal flags (accepted anywhere):\n";
  Table flags;
  append_flag_rows(flags, global_flags());
  out += render_table(flags);
  out +=
      "\nexit status: 0 ok, 1 failed, 2 usage error, 69 agent unreachable, 78 bad "
      "configuration\n";
  out += "run `constellation help COMMAND` for a command's flags and examples\n";
  return out;
}

std::string render_command_help(const CommandSpec& command) {
  std::string out = "usage: " + usage_line(command) + "\n\n" + std::string(command.summary);
  if (command.mutates) out += "\nThis command changes the cluster: over TCP it needs --token-file.";
  out += "\n";
  if (!command.aliases.empty()) {
    out += "aliases:";
    for (std::string_view alias : command.aliases) out += " " + std::string(alias);
    out += "\n";
  }
  if (!command.flags.empty()) {
    Table flags;
    append_flag_rows(flags, command.flags);
    out += "\nflags:\n" + render_table(flags);
  }
  if (command.agent_options) {
    Table flags;
    append_flag_rows(flags, agent_option_flags());
    out += "\nagent options (see constellation-agent(8); environment variables also apply):\n" +
           render_table(flags);
  }
  Table globals;
  append_flag_rows(globals, global_flags());
  out += "\nglobal flags:\n" + render_table(globals);
  if (!command.examples.empty()) out += "\nexamples:\n" + indent_examples(command.examples);
  return out;
}

std::string render_group_help(std::string_view group) {
  std::string out = "usage: constellation " + std::string(group) + " SUB-COMMAND\n\n";
  Table rows;
  for (const CommandSpec* command : command_table()) {
    std::string_view name = command->name;
    if (command->hidden || !name.starts_with(std::string(group) + " ")) continue;
    rows.rows.push_back({"  " + std::string(name), std::string(command->summary)});
  }
  out += render_table(rows);
  return out;
}

}  // namespace constellation::console
