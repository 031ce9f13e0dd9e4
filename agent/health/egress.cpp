// Egress parsing (egress.hpp): Cloudflare documents the trace as key=value lines whose set
// and order vary, so it is read as a map, never by position.
#include "agent/health/egress.hpp"

#include <arpa/inet.h>

#include "shared/strings.hpp"

namespace constellation::health {

std::map<std::string, std::string> parse_trace(std::string_view body) {
  std::map<std::string, std::string> out;
  for (const auto& line : split(body, '\n')) {
    auto text = trim(line);
    auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    out.emplace(std::string(trim(text.substr(0, eq))), std::string(trim(text.substr(eq + 1))));
  }
  return out;
}

WarpState warp_state(const std::map<std::string, std::string>& trace) {
  auto it = trace.find("warp");
  if (it == trace.end()) return WarpState::missing;
  if (it->second == "on") return WarpState::on;
  if (it->second == "plus") return WarpState::plus;
  return WarpState::off;
}

std::string_view warp_state_name(WarpState state) {
  switch (state) {
    case WarpState::on:
      return "on";
    case WarpState::plus:
      return "plus";
    case WarpState::off:
      return "off";
    case WarpState::missing:
      return "missing";
  }
  return "missing";
}

Status warp_verdict(bool gateway_running, std::string_view gateway_name,
                    const std::map<std::string, std::string>& trace) {
  if (!gateway_running)
    return fail(ErrorCode::unavailable,
                "WARP gateway container " + std::string(gateway_name) + " is not running");
  switch (warp_state(trace)) {
    case WarpState::on:
    case WarpState::plus:
      return {};
    case WarpState::off:
      return fail(ErrorCode::unavailable,
                  "egress is not through WARP: the trace says warp=" + trace.at("warp"));
    case WarpState::missing:
      return fail(ErrorCode::unavailable,
                  "the trace document has no warp= line (is the trace URL a Cloudflare "
                  "/cdn-cgi/trace?)");
  }
  return {};
}

Result<std::string> parse_public_ip(std::string_view endpoint, std::string_view body) {
  std::string text(trim(body));
  in_addr v4{};
  in6_addr v6{};
  if (!text.empty() && (::inet_pton(AF_INET, text.c_str(), &v4) == 1 ||
                        ::inet_pton(AF_INET6, text.c_str(), &v6) == 1))
    return text;
  std::string shown = text.substr(0, 40);
  return fail(ErrorCode::invalid_argument, std::string(endpoint) +
                                               " did not answer with an IP "
                                               "address (got \"" +
                                               shown + "\")");
}

Result<std::string> choose_public_ip(
    std::string_view configured,
    const std::vector<std::pair<std::string, Result<std::string>>>& answers) {
  if (!configured.empty()) {
    auto valid = parse_public_ip("PUBLIC_IP", configured);
    if (valid) return valid;
  }
  std::vector<std::string> failures;
  for (const auto& [endpoint, body] : answers) {
    if (!body) {
      failures.push_back(endpoint + ": " + body.error().message);
      continue;
    }
    auto ip = parse_public_ip(endpoint, *body);
    if (ip) return ip;
    failures.push_back(ip.error().message);
  }
  if (failures.empty())
    return fail(ErrorCode::unavailable,
                "no public IP: PUBLIC_IP is unset and no detection endpoint is configured");
  return fail(ErrorCode::unavailable, "no public IP: " + join(failures, "; "));
}

}  // namespace constellation::health
