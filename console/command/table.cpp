// The global flags and lookups over the command table. The rows themselves live in
// console/commands/ (one file per command) and are listed in console/commands/registry.cpp.
#include "console/command/table.hpp"

#include <algorithm>
#include <array>

#include "shared/strings.hpp"

namespace constellation::console {
namespace {

constexpr std::array kGlobalFlags = {
    FlagSpec{.name = global_flag::agent,
             .type = FlagType::string,
             .value_name = "ADDR",
             .help = "agent to talk to: a unix socket path or http://HOST:PORT (env "
                     "CONSTELLATION_AGENT; default /run/constellation/agent.sock)"},
    FlagSpec{.name = global_flag::token_file,
             .type = FlagType::string,
             .value_name = "FILE",
             .help = "file holding the API token, sent as a bearer token over TCP (env "
                     "CONSTELLATION_TOKEN_FILE)"},
    FlagSpec{.name = global_flag::output,
             .short_name = 'o',
             .type = FlagType::choice,
             .value_name = "FORMAT",
             .help = "output format: table for people, json for scripts",
             .choices = "table json"},
    FlagSpec{.name = global_flag::help, .short_name = 'h', .help = "show help and exit"},
};

}  // namespace

std::span<const FlagSpec> global_flags() {
  return kGlobalFlags;
}

const CommandSpec* find_command(std::string_view name, CommandList table) {
  for (const CommandSpec* command : table) {
    if (command->name == name) return command;
    for (std::string_view alias : command->aliases)
      if (alias == name) return command;
  }
  return nullptr;
}

bool is_command_group(std::string_view group, CommandList table) {
  for (const CommandSpec* command : table) {
    std::string_view name = command->name;
    if (name.size() > group.size() && name.starts_with(group) && name[group.size()] == ' ')
      return true;
  }
  return false;
}

const FlagSpec* find_flag(std::span<const FlagSpec> flags, std::string_view name) {
  for (const FlagSpec& flag : flags) {
    if (flag.name == name) return &flag;
    if (name.size() == 1 && flag.short_name != '\0' && flag.short_name == name[0]) return &flag;
  }
  return nullptr;
}

std::vector<std::string> flag_choices(const FlagSpec& flag) {
  std::vector<std::string> out;
  for (const std::string& choice : split(flag.choices, ' '))
    if (!choice.empty()) out.push_back(choice);
  return out;
}

std::vector<std::string> top_level_words(CommandList table) {
  std::vector<std::string> words;
  auto add = [&](std::string_view word) {
    if (std::find(words.begin(), words.end(), word) == words.end()) words.emplace_back(word);
  };
  for (const CommandSpec* command : table) {
    if (command->hidden) continue;
    add(command->name.substr(0, command->name.find(' ')));
    for (std::string_view alias : command->aliases) add(alias);
  }
  return words;
}

std::vector<std::string> sub_command_words(std::string_view group, CommandList table) {
  std::vector<std::string> words;
  for (const CommandSpec* command : table) {
    std::string_view name = command->name;
    if (command->hidden || name.size() <= group.size() + 1 || !name.starts_with(group) ||
        name[group.size()] != ' ')
      continue;
    words.emplace_back(name.substr(group.size() + 1));
  }
  return words;
}

}  // namespace constellation::console
