// `constellation raft recover`: the offline, last-resort repair after a permanent loss of raft
// quorum. On a stopped survivor it rewrites DATA_DIR/raft's configuration to the named voters
// (this node alone by default) so it can elect itself; refuses while an agent runs there and
// without the explicit --yes-i-lost-quorum.
#include <utility>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "console/commands/local_config.hpp"
#include "console/commands/local_probes.hpp"

namespace constellation::console::commands {
namespace {

constexpr std::string_view kConfirm = "yes-i-lost-quorum";
constexpr std::string_view kVoter = "voter";

struct RecoverArgs {
  std::vector<std::pair<std::string, std::string>> voters;  // {node, host:port}
  bool confirmed = false;
  std::vector<std::string> agent_options;  // the rest, for the configuration loader
};

/// Takes this command's own flags out of the passthrough words.
Result<RecoverArgs> split_args(const std::vector<std::string>& words) {
  RecoverArgs out;
  auto add_voter = [&](const std::string& text) -> Status {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
      return fail(ErrorCode::invalid_argument, "--voter '" + text +
                                                   "': expected NODE=HOST:PORT, the node's name "
                                                   "and the raft address peers reach it at");
    out.voters.emplace_back(text.substr(0, eq), text.substr(eq + 1));
    return {};
  };
  const std::string voter_flag = "--" + std::string(kVoter);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "--" + std::string(kConfirm)) {
      out.confirmed = true;
    } else if (w == voter_flag) {
      if (i + 1 == words.size())
        return fail(ErrorCode::invalid_argument, "--voter needs a value: NODE=HOST:PORT");
      if (auto ok = add_voter(words[++i]); !ok) return std::unexpected(ok.error());
    } else if (w.starts_with(voter_flag + "=")) {
      if (auto ok = add_voter(w.substr(voter_flag.size() + 1)); !ok)
        return std::unexpected(ok.error());
    } else {
      out.agent_options.push_back(w);
    }
  }
  return out;
}

bool wildcard(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::";
}

int exec_recover(Context& context, const ParsedArgs& args) {
  auto parsed = split_args(args.positional);
  if (!parsed) return report(context, parsed.error());
  auto loaded = load_local_config(context, parsed->agent_options);
  if (!loaded) return report(context, loaded.error());
  const config::Config& config = loaded->config;
  const std::string raft_dir = config.data_dir + "/raft";

  if (parsed->voters.empty()) {
    if (wildcard(config.raft.host))
      return report(context,
                    Error{ErrorCode::invalid_argument,
                          "the raft option binds " + config.raft.to_string() +
                              ", not an address peers reach: name this node's voter address, "
                              "e.g. --voter " +
                              config.node + "=100.64.0.5:" + std::to_string(config.raft.port)});
    parsed->voters.emplace_back(config.node, config.raft.to_string());
  }
  bool self_listed = false;
  for (const auto& [node, address] : parsed->voters) self_listed |= node == config.node;
  if (!self_listed)
    return report(context,
                  Error{ErrorCode::invalid_argument,
                        "this node (" + config.node +
                            ") is not among the --voter list: run raft recover on a surviving "
                            "voter, listing it (set --node if the name differs)"});

  // An agent using this data directory must be stopped: libraft has no lock of its own.
  if (probe_unix_socket(config.socket_path) == SocketProbe::accepts)
    return report(context, Error{ErrorCode::conflict,
                                 "an agent is running here (its socket " + config.socket_path +
                                     " answers): stop it first (systemctl stop constellation), "
                                     "then run raft recover again"});
  if (probe_bind(config.raft, false) == BindProbe::in_use)
    return report(context,
                  Error{ErrorCode::conflict,
                        "the raft address " + config.raft.to_string() +
                            " is in use, so an agent may still run on this data directory: stop "
                            "it first, then run raft recover again"});

  std::string voters_text;
  for (const auto& [node, address] : parsed->voters)
    voters_text += (voters_text.empty() ? "" : ", ") + node + "=" + address;
  if (!parsed->confirmed)
    return report(
        context,
        Error{ErrorCode::invalid_argument,
              "raft recover forces the raft configuration in " + raft_dir + " to " + voters_text +
                  ". Use it only when a majority of voters is permanently lost, on "
                  "the survivor with the longest log, with every agent stopped; "
                  "confirm with --" +
                  std::string(kConfirm)});
  if (!context.recover_raft)
    return report(context,
                  Error{ErrorCode::internal, "this build of constellation cannot recover raft"});
  if (auto done = context.recover_raft(raft_dir, parsed->voters); !done)
    return report(context, done.error());

  if (context.format == OutputFormat::json) {
    nlohmann::json voters = nlohmann::json::array();
    for (const auto& [node, address] : parsed->voters)
      voters.push_back({{"node", node}, {"address", address}});
    print_json(context, {{"raft_dir", raft_dir}, {"voters", voters}, {"recovered", true}});
    return exit_codes::ok;
  }
  context.out << "raft configuration in " << raft_dir << " is now: " << voters_text << "\n"
              << "Next:\n"
              << "  1. start the agent on this node; it elects itself leader with the data it "
                 "had\n"
              << "  2. on every other survivor: stop the agent, move its DATA_DIR/raft aside, "
                 "drop bootstrap from its configuration, start it again;\n"
              << "     the leader adds it as a standby and promotes voters by priority\n"
              << "  3. check with `constellation raft status` (or GET /api/v1/raft/status)\n";
  return exit_codes::ok;
}

constexpr FlagSpec kRecoverFlags[] = {
    {.name = kVoter,
     .type = FlagType::string,
     .value_name = "NODE=HOST:PORT",
     .help = "a surviving voter and its raft address; repeatable; default: this node alone at "
             "its raft address",
     .repeatable = true},
    {.name = kConfirm,
     .type = FlagType::boolean,
     .help = "confirm that a majority of voters is permanently lost"},
};

}  // namespace

const CommandSpec kRaftRecover{
    .name = "raft recover",
    .summary = "offline: force the raft configuration of a stopped node after quorum loss",
    .flags = kRecoverFlags,
    .mode = ArgsMode::passthrough,
    .agent_options = true,
    .examples =
        "constellation raft recover --config /etc/constellation/config.yaml "
        "--yes-i-lost-quorum\n"
        "constellation raft recover --data-dir /var/lib/constellation "
        "--voter cloudserver-1=100.64.0.5:8300 --yes-i-lost-quorum",
    .exec = exec_recover,
};

}  // namespace constellation::console::commands
