// The I/O edge of Tailscale discovery: getting the status document from tailscaled's LocalAPI
// (libcurl over its unix socket) or from `tailscale status --json`. Every call blocks up to
// its timeout, so the agent runs them on its worker pool, never on the loop. Stateless; calls
// may run concurrently. Failures are values naming the socket or command and what to do.
#pragma once

#include <chrono>
#include <string>

#include "shared/error.hpp"

namespace constellation::discovery {

/// Where the status document comes from and how long a fetch may take.
struct FetchOptions {
  std::string socket_path = "/var/run/tailscale/tailscaled.sock";  ///< "" = never the socket
  /// The CLI, run as `COMMAND status --json` (words split on spaces). "" = `tailscale`, and
  /// only when the socket is absent; set = always the command, never the socket.
  std::string command;
  std::chrono::milliseconds timeout{5000};  ///< whole fetch, connect included
};

/// GET /localapi/v0/status over the unix socket with Host: local-tailscaled.sock. A non-200
/// answer is unavailable with tailscaled's body (e.g. 403 "invalid localapi request").
Result<std::string> fetch_localapi_status(const std::string& socket_path,
                                          std::chrono::milliseconds timeout);

/// Runs `command status --json` (stdin /dev/null) and returns its stdout. A non-zero exit is
/// unavailable with the first line of stderr; past `timeout` the child is killed (timeout).
Result<std::string> run_status_command(const std::string& command,
                                       std::chrono::milliseconds timeout);

/// Picks the source as FetchOptions describes and fetches. `source` (if given) receives
/// "socket PATH" or "command CMD" for logs.
Result<std::string> fetch_status_document(const FetchOptions& options,
                                          std::string* source = nullptr);

}  // namespace constellation::discovery
