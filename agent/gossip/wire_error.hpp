// Typed decoding failures for the gossip wire codec. The transport counts dropped packets per
// reason (a /metrics counter each), so a failure is a small enum plus a detail for the log,
// not a free-form string.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "shared/error.hpp"

namespace constellation::gossip {

/// Why bytes from the network were dropped.
enum class DropReason {
  truncated,       ///< the input ended before a length, field or code said it would
  oversized,       ///< a length or count beyond a limit (meta, compound parts, decompressed size)
  bad_crc,         ///< hasCrc wrapper whose CRC-32 does not match
  decrypt_failed,  ///< no installed key opens it, or it was plaintext while verification is on
  unknown_type,    ///< a message type byte this codec does not handle
  malformed,       ///< bytes that are not the msgpack/LZW/struct shape memberlist sends
  bad_label,       ///< a hasLabel header that does not match ours (memberlist >= 0.3)
};

/// Every reason, in declaration order, for tables of counters.
inline constexpr DropReason kAllDropReasons[] = {
    DropReason::truncated,      DropReason::oversized,    DropReason::bad_crc,
    DropReason::decrypt_failed, DropReason::unknown_type, DropReason::malformed,
    DropReason::bad_label};

/// Stable snake_case name ("bad_crc") used as a metric label.
std::string_view drop_reason_name(DropReason reason);

/// A decoding failure: the reason to count and a detail for a (rate-limited) log line. The
/// detail never contains key material.
struct WireError {
  DropReason reason = DropReason::malformed;
  std::string detail;
};

/// The codec's result type: a value or the reason it was dropped.
template <typename T>
using WireResult = std::expected<T, WireError>;

/// Shorthand: `return wire_fail(DropReason::truncated, "compound length table");`
inline std::unexpected<WireError> wire_fail(DropReason reason, std::string detail) {
  return std::unexpected<WireError>(WireError{reason, std::move(detail)});
}

/// Converts to the project-wide Error (invalid_argument for input faults, too_large for
/// oversized) for callers that report rather than count.
Error to_error(const WireError& error);

}  // namespace constellation::gossip
