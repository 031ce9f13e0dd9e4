// Docker Engine API versions and their negotiation (contracts/external-apis.md §3.1): ping the
// engine, read its Api-Version header, speak min(engine, ours) and refuse engines older than
// our minimum. Pure functions; no I/O.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "shared/error.hpp"

namespace constellation::docker {

/// An Engine API version "1.NN".
struct ApiVersion {
  int major = 1;
  int minor = 0;

  auto operator<=>(const ApiVersion&) const = default;
  /// "1.47"
  std::string str() const;
};

/// The newest API version this client speaks.
inline constexpr ApiVersion kClientMaxVersion{1, 47};
/// The oldest engine API version this client accepts (Docker 20.10).
inline constexpr ApiVersion kClientMinVersion{1, 41};

/// Parses "1.41" (surrounding whitespace allowed); invalid_argument otherwise.
Result<ApiVersion> parse_api_version(std::string_view text);

/// Chooses the version to pin in every path from the engine's Api-Version header value:
/// min(engine, kClientMaxVersion); an engine below kClientMinVersion is refused
/// (unavailable) with a message naming both versions.
Result<ApiVersion> negotiate_api_version(std::string_view engine_header);

}  // namespace constellation::docker
