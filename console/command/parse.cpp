// The command-line parser over the command table: resolves the command, takes global flags
// from anywhere, checks flag values by type and the positional arity before the command runs.
#include "console/command/parse.hpp"

#include <algorithm>

#include "console/command/table.hpp"
#include "shared/duration.hpp"
#include "shared/strings.hpp"

namespace constellation::console {
namespace {

std::unexpected<Error> usage_error(std::string message) {
  return fail(ErrorCode::invalid_argument, std::move(message));
}

std::string quoted_list(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates,
                       std::string_view fallback) {
  std::string match = closest_match(word, candidates);
  if (!match.empty()) return " (did you mean '" + match + "'?)";
  return " (" + std::string(fallback) + ")";
}

std::string dashed(const FlagSpec& flag) {
  return "--" + std::string(flag.name);
}

Status check_value(const FlagSpec& flag, const std::string& value) {
  switch (flag.type) {
    case FlagType::boolean:
    case FlagType::string:
      return {};
    case FlagType::duration:
      if (auto parsed = parse_duration(value); !parsed)
        return usage_error("invalid value '" + value + "' for " + dashed(flag) +
                           ": expected a duration such as 90s, 15m, 1h30m or 7d");
      return {};
    case FlagType::integer:
      if (value.empty() || value.size() > 9 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return usage_error("invalid value '" + value + "' for " + dashed(flag) +
                           ": expected a whole number such as 100");
      return {};
    case FlagType::choice: {
      auto choices = flag_choices(flag);
      if (std::find(choices.begin(), choices.end(), value) != choices.end()) return {};
      return usage_error("invalid value '" + value + "' for " + dashed(flag) + ": choose " +
                         quoted_list(choices) + suggestion(value, choices, "see --help"));
    }
  }
  return {};
}

/// Every flag spelling a command accepts, for "did you mean".
std::vector<std::string> flag_spellings(const CommandSpec* command) {
  std::vector<std::string> out;
  for (const FlagSpec& flag : global_flags()) out.push_back(dashed(flag));
  if (command && command->mode == ArgsMode::parsed)
    for (const FlagSpec& flag : command->flags) out.push_back(dashed(flag));
  return out;
}

std::string command_label(const CommandSpec* command) {
  return command ? "'" + std::string(command->name) + "'" : "the command line";
}

void store_global(GlobalOptions& globals, const FlagSpec& flag, const std::string& value) {
  if (flag.name == global_flag::agent) globals.agent = value;
  if (flag.name == global_flag::token_file) globals.token_file = value;
  if (flag.name == global_flag::output)
    globals.output = value == "json" ? OutputFormat::json : OutputFormat::table;
  if (flag.name == global_flag::help) globals.help = true;
}

class Parser {
 public:
  Parser(std::span<const std::string> words, CommandList table) : words_(words), table_(table) {}

  Result<ParsedArgs> run() {
    for (index_ = 0; index_ < words_.size(); ++index_) {
      const std::string& word = words_[index_];
      if (parsed_.command && parsed_.command->mode == ArgsMode::raw) {
        parsed_.positional.push_back(word);
      } else if (only_positional_) {
        parsed_.positional.push_back(word);
      } else if (word == "--") {
        if (passthrough()) parsed_.positional.push_back(word);
        only_positional_ = true;
      } else if (word.size() > 1 && word[0] == '-') {
        if (auto ok = take_flag(word); !ok) return std::unexpected(ok.error());
      } else if (!parsed_.command) {
        if (auto ok = take_command_word(word); !ok) return std::unexpected(ok.error());
      } else {
        parsed_.positional.push_back(word);
      }
    }
    if (auto ok = check_arity(); !ok) return std::unexpected(ok.error());
    return std::move(parsed_);
  }

 private:
  bool passthrough() const {
    return parsed_.command && parsed_.command->mode == ArgsMode::passthrough;
  }

  Status take_command_word(const std::string& word) {
    if (!parsed_.group.empty()) {
      if (const CommandSpec* command = find_command(parsed_.group + " " + word, table_)) {
        parsed_.command = command;
        return {};
      }
      return usage_error(
          "unknown " + parsed_.group + " sub-command '" + word + "'" +
          suggestion(word, sub_command_words(parsed_.group, table_),
                     "choose " + quoted_list(sub_command_words(parsed_.group, table_))));
    }
    if (const CommandSpec* command = find_command(word, table_)) {
      parsed_.command = command;
      return {};
    }
    if (is_command_group(word, table_)) {
      parsed_.group = word;
      return {};
    }
    return usage_error("unknown command '" + word + "'" +
                       suggestion(word, top_level_words(table_),
                                  "run `constellation help` for the list of commands"));
  }

  Status take_flag(const std::string& word) {
    bool is_long = word.starts_with("--");
    std::string name = word.substr(is_long ? 2 : 1);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (!is_long && name.size() != 1) return unknown_flag(word);

    const FlagSpec* flag = find_flag(global_flags(), name);
    bool global = flag != nullptr;
    if (!flag && parsed_.command && parsed_.command->mode == ArgsMode::parsed)
      flag = find_flag(parsed_.command->flags, name);
    if (flag && !is_long && flag->short_name == '\0') flag = nullptr;  // "-a" is not "--agent"
    if (!flag) {
      if (passthrough()) {
        parsed_.positional.push_back(word);
        return {};
      }
      return unknown_flag(word);
    }

    std::string value;
    if (flag->type == FlagType::boolean) {
      if (inline_value) return usage_error(dashed(*flag) + " takes no value (got '" + word + "')");
    } else if (inline_value) {
      value = *inline_value;
    } else if (index_ + 1 < words_.size()) {
      value = words_[++index_];
    } else {
      return usage_error(dashed(*flag) + " needs a value: " + flag_usage(*flag));
    }
    if (auto ok = check_value(*flag, value); !ok) return ok;

    std::string key(flag->name);
    if (global) {
      if (!flag->repeatable && flag->type != FlagType::boolean && seen_globals_.contains(key))
        return usage_error(dashed(*flag) + " was given more than once; give it once");
      seen_globals_[key] = true;
      store_global(parsed_.globals, *flag, value);
      return {};
    }
    auto& values = parsed_.flags[key];
    if (!flag->repeatable && !values.empty())
      return usage_error(dashed(*flag) + " was given more than once; give it once");
    values.push_back(value);
    return {};
  }

  Status unknown_flag(const std::string& word) {
    std::string name = word.substr(0, word.find('='));
    std::string where = parsed_.command ? " for " + command_label(parsed_.command) : "";
    std::string fallback =
        parsed_.command ? "see `constellation help " + std::string(parsed_.command->name) + "`"
                        : "command flags go after the command name; see `constellation help`";
    return usage_error("unknown flag '" + name + "'" + where +
                       suggestion(name, flag_spellings(parsed_.command), fallback));
  }

  Status check_arity() const {
    const CommandSpec* command = parsed_.command;
    if (!command || parsed_.globals.help || command->mode != ArgsMode::parsed) return {};
    int count = static_cast<int>(parsed_.positional.size());
    std::string usage = "usage: constellation " + std::string(command->name) +
                        (command->args_usage.empty() ? "" : " " + std::string(command->args_usage));
    if (count < command->min_args)
      return usage_error("'" + std::string(command->name) + "' needs " +
                         std::string(command->args_usage) + " (" + usage + ")");
    if (command->max_args >= 0 && count > command->max_args) {
      const std::string& extra = parsed_.positional[static_cast<std::size_t>(command->max_args)];
      return usage_error("unexpected argument '" + extra + "' for '" + std::string(command->name) +
                         "' (" + usage + ")");
    }
    return {};
  }

  std::span<const std::string> words_;
  CommandList table_;
  std::size_t index_ = 0;
  bool only_positional_ = false;
  ParsedArgs parsed_;
  std::map<std::string, bool> seen_globals_;
};

}  // namespace

Result<ParsedArgs> parse_command_line(std::span<const std::string> args) {
  return Parser(args, command_table()).run();
}

Result<ParsedArgs> parse_command_line(std::span<const std::string> args, CommandList table) {
  return Parser(args, table).run();
}

std::string flag_usage(const FlagSpec& flag) {
  std::string out;
  if (flag.short_name != '\0') out += std::string("-") + flag.short_name + ", ";
  out += "--" + std::string(flag.name);
  if (flag.type == FlagType::choice)
    out += " " + join(flag_choices(flag), "|");
  else if (flag.type != FlagType::boolean)
    out += " " + std::string(flag.value_name.empty() ? "VALUE" : flag.value_name);
  return out;
}

}  // namespace constellation::console
