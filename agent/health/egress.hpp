// Sans-IO parsing for the two egress checks: the Cloudflare trace document the WARP monitor
// reads (key=value lines; warp=on|plus means traffic leaves through WARP) and the plain-text
// answers of public-IP endpoints (trimmed, accepted only when they parse as an address).
// Fetching is left to the caller (libcurl on a worker), so tests feed strings.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.hpp"

namespace constellation::health {

/// A trace document as a map: one "key=value" per line, order and extra fields ignored.
std::map<std::string, std::string> parse_trace(std::string_view body);

/// What the warp= line says.
enum class WarpState { on, plus, off, missing };
WarpState warp_state(const std::map<std::string, std::string>& trace);
std::string_view warp_state_name(WarpState state);

/// The WARP verdict: ok when the gateway container runs and the trace says on or plus; else
/// unavailable with the reason (container stopped, trace says off, no warp= line).
Status warp_verdict(bool gateway_running, std::string_view gateway_name,
                    const std::map<std::string, std::string>& trace);

/// One endpoint's answer: trimmed; an IPv4 or IPv6 address, else invalid_argument naming
/// the endpoint and (the start of) what it said.
Result<std::string> parse_public_ip(std::string_view endpoint, std::string_view body);

/// The node's public IP: `configured` (PUBLIC_IP) when set and valid, else the first valid
/// answer among `answers` (endpoint, body or error) in order; unavailable listing every failure.
Result<std::string> choose_public_ip(
    std::string_view configured,
    const std::vector<std::pair<std::string, Result<std::string>>>& answers);

}  // namespace constellation::health
