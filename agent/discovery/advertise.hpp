// Which address this node advertises to gossip peers. The rules are a pure function
// (choose_advertise) so they can be tested without interfaces; up_interface_ipv4s() is the
// one system call feeding it. Stateless; safe on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/error.hpp"

namespace constellation::discovery {

/// Everything the choice depends on.
struct AdvertiseInputs {
  std::string configured{};      ///< gossip_advertise: "HOST" or "HOST:PORT" ("" = unset)
  std::string bind_host{};       ///< the gossip bind address ("0.0.0.0", "::" or a specific IP)
  std::string tailscale_ipv4{};  ///< Self's Tailscale IPv4 when discovery found it, else ""
  std::vector<std::string> interface_ipv4s{};  ///< non-loopback IPv4s of up interfaces
};

/// The chosen address and why it was chosen.
struct AdvertiseChoice {
  std::string host{};                   ///< an IP address
  std::optional<std::uint16_t> port{};  ///< from a configured HOST:PORT; else the bound port
  std::string reason{};   ///< "configured", "bind", "tailscale", "interface", "fallback"
  std::string warning{};  ///< non-empty for the loopback fallback: what to set
};

/// The rules, in order: the configured value; else a specific bind address; else the
/// Tailscale IPv4; else the first interface IPv4; else 127.0.0.1 with a warning.
/// invalid_argument when the configured value is not an IP (optionally with :PORT).
Result<AdvertiseChoice> choose_advertise(const AdvertiseInputs& inputs);

/// Non-loopback IPv4 addresses of interfaces that are up (getifaddrs), in kernel order.
std::vector<std::string> up_interface_ipv4s();

}  // namespace constellation::discovery
