// Probes of this host that `doctor` runs without the agent: can a listener bind an address,
// and does a unix socket accept connections. Plain POSIX calls, nothing is left open.
#pragma once

#include <string>

#include "agent/config/config.hpp"

namespace constellation::console::commands {

enum class BindProbe { free, in_use, not_permitted, bad_address };
/// Tries to bind (and immediately closes) a TCP or UDP socket on `endpoint`.
BindProbe probe_bind(const config::Endpoint& endpoint, bool udp);

enum class SocketProbe { accepts, missing, not_a_socket, permission_denied, refused };
/// Tries to connect to the unix socket at `path`.
SocketProbe probe_unix_socket(const std::string& path);

}  // namespace constellation::console::commands
