// The /ws subscription over Beast, on TCP or on the agent's unix socket. Synchronous: each
// next() blocks until the agent sends a message. This is the only console file with Beast.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "console/client/address.hpp"
#include "console/client/api_client.hpp"

namespace constellation::console {

/// Connects and upgrades to a WebSocket on /ws, sending the bearer token if any. Errors:
/// unavailable (cannot connect, with the address), unauthorized (401 on upgrade).
Result<std::unique_ptr<EventStream>> open_event_stream(const AgentAddress& address,
                                                       const std::optional<std::string>& token);

}  // namespace constellation::console
