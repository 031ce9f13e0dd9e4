// `constellation cordon NODE --reason TEXT` (no lease is granted to NODE and it hands over
// the leases it holds; the reason and who asked are kept in the replicated state and the
// journal) and `constellation uncordon NODE`. Like force-leave and restart there is no
// prompt: the required reason is the deliberate step, and uncordon undoes it.
#include <array>
#include <string>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/api_paths.hpp"
#include "shared/strings.hpp"

namespace constellation::console::commands {
namespace {

constexpr std::array kCordonFlags = {
    FlagSpec{.name = "reason",
             .type = FlagType::string,
             .value_name = "TEXT",
             .help = "why the node is cordoned (required; kept with the cordon and journaled)"},
};

std::string node_path(const std::string& node, std::string_view suffix) {
  return std::string(api_paths::nodes) + "/" + url_encode(node) + std::string(suffix);
}

int exec_cordon(Context& context, const ParsedArgs& args) {
  const std::string& node = args.positional.at(0);
  auto reason = args.value("reason");
  if (!reason || trim(*reason).empty())
    return report(context,
                  Error{ErrorCode::invalid_argument, "cordon " + node +
                                                         ": --reason is required (say why, e.g. "
                                                         "--reason 'disk swap')"});
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response = (*client)->post(node_path(node, api_paths::cordon_suffix),
                                  nlohmann::json{{"reason", *reason}});
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  context.out << node << " is cordoned: " << *reason << '\n';
  return exit_codes::ok;
}

int exec_uncordon(Context& context, const ParsedArgs& args) {
  const std::string& node = args.positional.at(0);
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto response =
      (*client)->post(node_path(node, api_paths::uncordon_suffix), nlohmann::json::object());
  if (!response) return report(context, response.error());
  if (context.format == OutputFormat::json) {
    print_json(context, *response);
    return exit_codes::ok;
  }
  context.out << node << " is no longer cordoned\n";
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kCordon{
    .name = "cordon",
    .args_usage = "NODE",
    .summary = "cordon a node: it gets no lease and hands over the leases it holds",
    .flags = kCordonFlags,
    .min_args = 1,
    .max_args = 1,
    .mutates = true,
    .needs_agent = true,
    .examples = "constellation cordon home-1 --reason 'disk swap'",
    .exec = exec_cordon,
    .names = NameKind::node,
};

const CommandSpec kUncordon{
    .name = "uncordon",
    .args_usage = "NODE",
    .summary = "lift a node's cordon so it may hold leases again",
    .min_args = 1,
    .max_args = 1,
    .mutates = true,
    .needs_agent = true,
    .examples = "constellation uncordon home-1",
    .exec = exec_uncordon,
    .names = NameKind::node,
};

}  // namespace constellation::console::commands
