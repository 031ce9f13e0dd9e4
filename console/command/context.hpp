// What a running command may touch: its output streams, the chosen output format, and a way
// to reach the agent. One-shot commands get stdout/stderr; the shell and the TUI will hand in
// their own streams, so a command never writes to the terminal directly.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "console/client/api_client.hpp"
#include "console/command/command.hpp"
#include "shared/error.hpp"

namespace constellation::console {

/// Default agent address when neither --agent nor CONSTELLATION_AGENT is set.
inline constexpr std::string_view kDefaultAgentAddress = "/run/constellation/agent.sock";

/// Makes an API client for an agent address and an optional token file. The real factory
/// (make_curl_client) reads the token with config::read_secret; tests hand in fakes.
using ClientFactory = std::function<Result<std::unique_ptr<ApiClient>>(
    const std::string& address, const std::optional<std::string>& token_file)>;

/// Owned by the front end; borrowed by a command for the duration of `exec`. Not thread-safe.
struct Context {
  std::ostream& out;  ///< the command's results (tables, JSON)
  std::ostream& err;  ///< one-line errors and notes; never results
  OutputFormat format = OutputFormat::table;
  bool is_tty = false;  ///< stdout is a terminal (one-shot: isatty(1))
  std::string agent_address = std::string(kDefaultAgentAddress);
  bool agent_address_given = false;  ///< set by --agent or CONSTELLATION_AGENT, not defaulted
  std::optional<std::string> token_file{};
  ClientFactory make_client{};
  /// The process environment (tests inject their own).
  std::function<std::optional<std::string>(const std::string&)> getenv{};
  /// Runs the node agent in this process (`constellation agent`); injected by the front end so
  /// the command table does not link the agent library (tests leave it empty).
  std::function<int(const std::vector<std::string>&)> run_agent{};
  /// Rewrites a stopped node's raft configuration (DATA_DIR/raft) to the given voters, each
  /// {node name, "host:port"} (`raft recover`); injected like run_agent.
  std::function<Status(const std::string& raft_dir,
                       const std::vector<std::pair<std::string, std::string>>& voters)>
      recover_raft{};

  /// A client for `agent_address`; errors are already in the operator's words.
  Result<std::unique_ptr<ApiClient>> client() const {
    if (!make_client) return fail(ErrorCode::internal, "no API client factory configured");
    return make_client(agent_address, token_file);
  }
};

/// Prints `error.message` on one line to context.err and returns its exit code.
int report(Context& context, const Error& error);

}  // namespace constellation::console
