// Completion over the command table (see complete.hpp): replays the complete words to find
// the command and any flag awaiting a value, then offers what may follow.
#include "console/command/complete.hpp"

#include <algorithm>

#include "console/command/table.hpp"

namespace constellation::console {
namespace {

struct LineState {
  const CommandSpec* command = nullptr;
  std::string group;
  const FlagSpec* pending = nullptr;  ///< flag whose value is the word being completed
};

/// Flags accepted at this point: globals, the command's own, and agent options.
std::vector<const FlagSpec*> flags_for(const CommandSpec* command) {
  std::vector<const FlagSpec*> out;
  for (const FlagSpec& flag : global_flags()) out.push_back(&flag);
  if (!command) return out;
  for (const FlagSpec& flag : command->flags) out.push_back(&flag);
  if (command->agent_options)
    for (const FlagSpec& flag : agent_option_flags()) out.push_back(&flag);
  return out;
}

const FlagSpec* lookup(const CommandSpec* command, std::string_view word) {
  bool is_long = word.starts_with("--");
  std::string_view name = word.substr(is_long ? 2 : 1);
  name = name.substr(0, name.find('='));
  for (const FlagSpec* flag : flags_for(command)) {
    if (is_long && flag->name == name) return flag;
    if (!is_long && name.size() == 1 && flag->short_name == name[0]) return flag;
  }
  return nullptr;
}

LineState replay(std::span<const std::string> words) {
  LineState state;
  for (const std::string& word : words) {
    if (state.pending) {
      state.pending = nullptr;
      continue;
    }
    if (state.command && state.command->mode == ArgsMode::raw) continue;
    if (word.size() > 1 && word[0] == '-') {
      const FlagSpec* flag = lookup(state.command, word);
      if (flag && flag->type != FlagType::boolean && word.find('=') == std::string::npos)
        state.pending = flag;
      continue;
    }
    if (state.command) continue;
    if (!state.group.empty()) {
      state.command = find_command(state.group + " " + word);
    } else if (const CommandSpec* command = find_command(word)) {
      state.command = command;
    } else if (is_command_group(word)) {
      state.group = word;
    }
  }
  return state;
}

std::vector<std::string> with_prefix(std::vector<std::string> words, std::string_view prefix) {
  std::erase_if(words, [&](const std::string& word) { return !word.starts_with(prefix); });
  return words;
}

}  // namespace

std::vector<std::string> complete(std::span<const std::string> words, const LiveNames& live_names) {
  std::string partial = words.empty() ? std::string() : words.back();
  LineState state = replay(words.empty() ? words : words.first(words.size() - 1));
  if (state.command && state.command->hidden) return {};

  if (state.pending) {
    if (state.pending->type != FlagType::choice) return {};
    return with_prefix(flag_choices(*state.pending), partial);
  }
  if (partial.starts_with("-")) {
    if (auto eq = partial.find('='); eq != std::string::npos) {
      const FlagSpec* flag = lookup(state.command, partial);
      if (!flag || flag->type != FlagType::choice) return {};
      std::vector<std::string> out;
      for (const std::string& choice : flag_choices(*flag))
        out.push_back(partial.substr(0, eq + 1) + choice);
      return with_prefix(std::move(out), partial);
    }
    std::vector<std::string> out;
    for (const FlagSpec* flag : flags_for(state.command))
      out.push_back("--" + std::string(flag->name));
    return with_prefix(std::move(out), partial);
  }
  if (!state.command) {
    if (!state.group.empty()) return with_prefix(sub_command_words(state.group), partial);
    return with_prefix(top_level_words(), partial);
  }
  if (state.command->name == "help") return with_prefix(top_level_words(), partial);
  if (state.command->names != NameKind::none && live_names)
    return with_prefix(live_names(state.command->names), partial);
  return {};
}

}  // namespace constellation::console
