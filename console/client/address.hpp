// Agent addresses as the operator writes them (--agent, CONSTELLATION_AGENT): a unix socket
// ("unix:/run/constellation/agent.sock" or "/path") or TCP ("http://127.0.0.1:8080",
// "127.0.0.1:8080"). Parsed once so the REST and WebSocket clients agree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/error.hpp"

namespace constellation::console {

/// A parsed agent address: either a unix socket path or a TCP host and port.
struct AgentAddress {
  std::string text;         ///< as given, for messages
  std::string socket_path;  ///< non-empty for a unix socket
  std::string host;         ///< TCP host (no brackets for IPv6)
  std::uint16_t port = 0;   ///< TCP port

  bool is_unix() const { return !socket_path.empty(); }
  /// Base URL for libcurl: "http://localhost" for a socket, else "http://HOST:PORT".
  std::string base_url() const;
};

/// The one-line error for an agent that cannot be reached (exit 69), naming the address,
/// the reason, and what to do.
Error agent_unreachable(std::string_view address, std::string_view reason);

/// Parses an address; invalid_argument naming the input and the accepted forms otherwise.
Result<AgentAddress> parse_agent_address(std::string_view text);

}  // namespace constellation::console
