// `constellation __complete WORDS...` (hidden): completion candidates, one per line, for the
// bash completion script; node, service and lease names come from the running agent. Never fails:
// a line it cannot make sense of, or an agent that does not answer, gets no candidates.
#include "console/command/complete.hpp"
#include "console/command/context.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

// Where each kind of name is listed: the route, the list in its document, the name field.
struct NameSource {
  std::string_view path;
  const char* list;
  const char* key;
};

NameSource name_source(NameKind kind) {
  switch (kind) {
    case NameKind::service:
      return {api_paths::services, "services", "service"};
    case NameKind::lease:
      return {api_paths::leases, "leases", "name"};
    case NameKind::node:
    case NameKind::none:
      break;
  }
  return {api_paths::nodes, "nodes", "name"};
}

// Node, service or lease names from the agent, if it answers; nothing otherwise (never an
// error).
std::vector<std::string> live_names(Context& context, NameKind kind) {
  auto client = context.client();
  if (!client) return {};
  const NameSource source = name_source(kind);
  auto document = (*client)->get(source.path);
  if (!document) return {};
  std::vector<std::string> names;
  if (auto it = document->find(source.list); it != document->end() && it->is_array())
    for (const auto& item : *it)
      if (item.is_object() && item.contains(source.key) && (*item.find(source.key)).is_string())
        names.push_back(item[source.key].get<std::string>());
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
