// HOST:PORT endpoints as operators type them (":8080", "0.0.0.0:7946", "[::1]:8080"). Kept
// apart from the option table because the console's --agent flag parses the same syntax.
#include <arpa/inet.h>

#include <charconv>

#include "agent/config/config.hpp"

namespace constellation::config {
namespace {

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

bool is_ipv6(std::string_view host) {
  std::string address(host.substr(0, host.find('%')));  // drop a zone id ("fe80::1%eth0")
  in6_addr parsed{};
  return inet_pton(AF_INET6, address.c_str(), &parsed) == 1;
}

}  // namespace

std::string Endpoint::to_string() const {
  std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return shown + ":" + std::to_string(port);
}

bool operator==(const Endpoint& a, const Endpoint& b) {
  return a.host == b.host && a.port == b.port;
}

Result<Endpoint> parse_endpoint(std::string_view text, std::string_view default_host) {
  auto bad = [&](const std::string& why) {
    return fail(ErrorCode::invalid_argument, "invalid address '" + std::string(text) + "': " + why +
                                                 " (expected HOST:PORT, :PORT or [IPv6]:PORT)");
  };
  if (text.empty()) return bad("empty");
  Endpoint endpoint;
  std::string_view port_text;
  if (text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) return bad("missing ']'");
    endpoint.host = std::string(text.substr(1, close - 1));
    if (!is_ipv6(endpoint.host)) return bad("'" + endpoint.host + "' is not an IPv6 address");
    if (close + 1 >= text.size() || text[close + 1] != ':') return bad("missing ':PORT'");
    port_text = text.substr(close + 2);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      bool digits = text.find_first_not_of("0123456789") == std::string_view::npos;
      return bad(digits ? "missing ':' (did you mean ':" + std::string(text) + "'?)"
                        : "missing ':PORT'");
    }
    std::string_view host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos)
      return bad("an IPv6 address needs brackets, e.g. [::1]:8080");
    for (char c : host)
      if (!is_host_char(c)) return bad("invalid character '" + std::string(1, c) + "' in host");
    endpoint.host = host.empty() ? std::string(default_host) : std::string(host);
    port_text = text.substr(colon + 1);
  }
  if (port_text.empty()) return bad("missing port");
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  if (ec == std::errc::result_out_of_range ||
      (ec == std::errc{} && end == port_text.data() + port_text.size() && value > 65535))
    return bad("port " + std::string(port_text) + " is out of range 0..65535");
  if (ec != std::errc{} || end != port_text.data() + port_text.size())
    return bad("port '" + std::string(port_text) + "' is not a number");
  endpoint.port = static_cast<std::uint16_t>(value);
  if (endpoint.host.empty()) return bad("missing host");
  return endpoint;
}

}  // namespace constellation::config
