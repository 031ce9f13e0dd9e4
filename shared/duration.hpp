// Human durations as operators type them ("90s", "15m", "1h30m", "7d", "250ms") and as the
// console prints them. Used by config options, `events --since` and the API query string.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "shared/error.hpp"

namespace constellation {

/// Parses a duration made of <number><unit> parts, units ms, s, m, h, d. A bare number is
/// taken as seconds. Negative or empty input is an invalid_argument error naming the input.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

/// Formats compactly: 0s, 250ms, 45s, 3m20s, 2h5m, 4d3h.
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace constellation
