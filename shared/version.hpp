// Versions the binary reports and the wire versions agent and console agree on.
#pragma once

#include <string_view>

namespace constellation {
inline constexpr std::string_view kVersion = CONSTELLATION_VERSION;
inline constexpr std::string_view kApiVersion = "v1";
/// Bumped when the /ws message shapes change incompatibly.
inline constexpr int kWsProtocolVersion = 1;
}  // namespace constellation
