// The agent's command-line options (config::option_table) seen as console flags, so help and
// completion for `agent`, `config show|check` and `doctor` list exactly what the agent accepts.
#include <vector>

#include "agent/config/config.hpp"
#include "console/command/table.hpp"

namespace constellation::console {
namespace {

FlagSpec flag_for(const config::OptionSpec& option) {
  FlagSpec flag{.name = option.flag, .type = FlagType::string, .help = option.help};
  const std::string_view type = option.type;
  if (type == "bool") flag.type = FlagType::boolean;
  if (type == "duration") flag.type = FlagType::duration;
  if (type == "int") flag.type = FlagType::integer;
  if (type == "level")
    flag.type = FlagType::choice, flag.choices = "trace debug info warn error off";
  if (type == "format") flag.type = FlagType::choice, flag.choices = "text json";
  flag.repeatable = type == "list";
  flag.value_name = type == "path"       ? "PATH"
                    : type == "endpoint" ? "HOST:PORT"
                    : type == "duration" ? "DURATION"
                    : type == "bytes"    ? "BYTES"
                    : type == "int"      ? "N"
                    : type == "list"     ? "ADDR"
                                         : "VALUE";
  return flag;
}

}  // namespace

std::span<const FlagSpec> agent_option_flags() {
  static const std::vector<FlagSpec> kFlags = [] {
    std::vector<FlagSpec> flags;
    for (const config::OptionSpec& option : config::option_table())
      if (!option.flag.empty()) flags.push_back(flag_for(option));
    return flags;
  }();
  return kFlags;
}

}  // namespace constellation::console
