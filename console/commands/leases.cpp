// `constellation leases` (every lease's holder and fencing token, and the cordoned nodes) and
// `constellation lease show NAME` (one lease: holder, token, expires-in, renewals, this node's
// acting window, why it has no holder, and its history).
#include <string>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "console/render/consensus.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

int exec_leases(Context& context, const ParsedArgs&) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto leases = (*client)->get(api_paths::leases);
  if (!leases) return report(context, leases.error());
  if (context.format == OutputFormat::json)
    print_json(context, *leases);
  else
    context.out << render_leases(*leases);
  return exit_codes::ok;
}

int exec_lease_show(Context& context, const ParsedArgs& args) {
  auto client = context.client();
  if (!client) return report(context, client.error());
  auto lease =
      (*client)->get(std::string(api_paths::leases) + "/" + url_encode(args.positional.at(0)));
  if (!lease) return report(context, lease.error());
  if (context.format == OutputFormat::json)
    print_json(context, *lease);
  else
    context.out << render_lease(*lease);
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kLeases{
    .name = "leases",
    .summary = "list leases (holder, fencing token, TTL, renewals) and cordoned nodes",
    .needs_agent = true,
    .examples = "constellation leases\nconstellation leases -o json",
    .exec = exec_leases,
};

const CommandSpec kLeaseShow{
    .name = "lease show",
    .args_usage = "NAME",
    .summary = "show one lease: holder, token, expires-in, renewals, history, why no holder",
    .min_args = 1,
    .max_args = 1,
    .needs_agent = true,
    .examples = "constellation lease show lb-leader\nconstellation lease show dns-writer -o json",
    .exec = exec_lease_show,
    .names = NameKind::lease,
};

}  // namespace constellation::console::commands
