// Standard base64 (RFC 4648, with padding) for keys and tokens the operator copies around.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace constellation {

/// "AAEC/w==" style encoding of `bytes`.
std::string encode_base64(std::span<const std::uint8_t> bytes);

}  // namespace constellation
