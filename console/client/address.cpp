// Parsing of agent addresses.
#include "console/client/address.hpp"

#include <charconv>

namespace constellation::console {
namespace {

Result<AgentAddress> bad(std::string_view text, std::string_view why) {
  return fail(ErrorCode::invalid_argument,
              "invalid agent address '" + std::string(text) + "': " + std::string(why) +
                  " (use unix:/path/to/agent.sock, /path/to/agent.sock, http://HOST:PORT or "
                  "HOST:PORT)");
}

}  // namespace

Error agent_unreachable(std::string_view address, std::string_view reason) {
  return Error{ErrorCode::unavailable,
               "cannot reach the agent at " + std::string(address) + ": " + std::string(reason) +
                   " (is `constellation agent` running? set --agent or CONSTELLATION_AGENT)"};
}

std::string AgentAddress::base_url() const {
  if (is_unix()) return "http://localhost";
  bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<AgentAddress> parse_agent_address(std::string_view text) {
  AgentAddress address;
  address.text = std::string(text);
  if (text.empty()) return bad(text, "empty");
  if (text.starts_with("unix:") || text.starts_with("/")) {
    std::string_view path = text.starts_with("unix:") ? text.substr(5) : text;
    if (path.starts_with("//")) path.remove_prefix(2);  // unix:///run/... as Docker writes it
    if (!path.starts_with("/")) return bad(text, "the socket path must be absolute");
    address.socket_path = std::string(path);
    return address;
  }
  std::string_view rest = text;
  if (rest.starts_with("https://")) return bad(text, "https is not supported; use http or unix");
  if (rest.starts_with("http://")) rest.remove_prefix(7);
  while (rest.ends_with("/")) rest.remove_suffix(1);
  std::string_view host, port;
  if (rest.starts_with("[")) {
    auto close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':')
      return bad(text, "expected [IPv6]:PORT");
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) return bad(text, "missing :PORT");
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) host = "127.0.0.1";
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535)
    return bad(text, "the port must be a number from 1 to 65535");
  address.host = std::string(host);
  address.port = static_cast<std::uint16_t>(value);
  return address;
}

}  // namespace constellation::console
