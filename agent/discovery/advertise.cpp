// The advertised-address rules (advertise.hpp) and the interface scan that feeds them.
#include "agent/discovery/advertise.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <charconv>

namespace constellation::discovery {
namespace {

bool is_ip(const std::string& text) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, text.c_str(), &v4) == 1 || inet_pton(AF_INET6, text.c_str(), &v6) == 1;
}

bool is_unspecified(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]";
}

// "HOST", "HOST:PORT", "[V6]" or "[V6]:PORT" -> host and optional port.
Result<AdvertiseChoice> parse_configured(const std::string& text) {
  const std::string hint = "gossip_advertise '" + text +
                           "' is not an IP address with an optional port (expected e.g. "
                           "100.64.0.5, 100.64.0.5:7946 or [fd7a:115c:a1e0::5]:7946)";
  std::string host = text, port_text;
  bool has_port = false;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string::npos) return fail(ErrorCode::invalid_argument, hint);
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return fail(ErrorCode::invalid_argument, hint);
      port_text = text.substr(close + 2);
      has_port = true;
    }
  } else if (auto colon = text.find(':');
             colon != std::string::npos && text.find(':', colon + 1) == std::string::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    has_port = true;
  }
  if (!is_ip(host) || is_unspecified(host)) return fail(ErrorCode::invalid_argument, hint);
  AdvertiseChoice choice{.host = host, .port = std::nullopt, .reason = "configured", .warning = {}};
  if (has_port) {
    unsigned port = 0;
    auto [end, err] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (err != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535)
      return fail(ErrorCode::invalid_argument, hint);
    choice.port = static_cast<std::uint16_t>(port);
  }
  return choice;
}
}  // namespace

Result<AdvertiseChoice> choose_advertise(const AdvertiseInputs& inputs) {
  if (!inputs.configured.empty()) return parse_configured(inputs.configured);
  auto make = [](std::string host, std::string reason, std::string warning = {}) {
    return AdvertiseChoice{.host = std::move(host),
                           .port = std::nullopt,
                           .reason = std::move(reason),
                           .warning = std::move(warning)};
  };
  if (!is_unspecified(inputs.bind_host)) return make(inputs.bind_host, "bind");
  if (!inputs.tailscale_ipv4.empty()) return make(inputs.tailscale_ipv4, "tailscale");
  if (!inputs.interface_ipv4s.empty()) return make(inputs.interface_ipv4s.front(), "interface");
  return make("127.0.0.1", "fallback",
              "no routable IPv4 found for gossip bound to " +
                  (inputs.bind_host.empty() ? std::string("0.0.0.0") : inputs.bind_host) +
                  "; advertising 127.0.0.1, so only this host can reach it (set "
                  "gossip_advertise or bind gossip to a specific address)");
}

std::vector<std::string> up_interface_ipv4s() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (auto* it = list; it; it = it->ifa_next) {
    if (!it->ifa_addr || it->ifa_addr->sa_family != AF_INET) continue;
    if (!(it->ifa_flags & IFF_UP) || (it->ifa_flags & IFF_LOOPBACK)) continue;
    char text[INET_ADDRSTRLEN] = {};
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
    if (!inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text)) continue;
    std::string ip(text);
    if (ip.starts_with("127.")) continue;
    out.push_back(std::move(ip));
  }
  ::freeifaddrs(list);
  return out;
}

}  // namespace constellation::discovery
