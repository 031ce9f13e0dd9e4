// `constellation __complete WORDS...` (hidden): completion candidates, one per line, for the
// bash completion script; node and service names come from the running agent. Never fails:
// a line it cannot make sense of, or an agent that does not answer, gets no candidates.
#include "console/command/complete.hpp"
#include "console/command/context.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

// Node or service names from the agent, if it answers; nothing otherwise (never an error).
std::vector<std::string> live_names(Context& context, NameKind kind) {
  auto client = context.client();
  if (!client) return {};
  auto document = (*client)->get(kind == NameKind::node ? api_paths::nodes : api_paths::services);
  if (!document) return {};
  const char* list = kind == NameKind::node ? "nodes" : "services";
  const char* key = kind == NameKind::node ? "name" : "service";
  std::vector<std::string> names;
  if (auto it = document->find(list); it != document->end() && it->is_array())
    for (const auto& item : *it)
      if (item.is_object() && item.contains(key) && (*item.find(key)).is_string())
        names.push_back(item[key].get<std::string>());
  return names;
}

int exec_complete(Context& context, const ParsedArgs& args) {
  auto names = [&context](NameKind kind) { return live_names(context, kind); };
  for (const std::string& candidate : complete(args.positional, names))
    context.out << candidate << '\n';
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
