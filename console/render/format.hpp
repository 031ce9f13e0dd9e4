// Formatting of values for human output (times, sizes), shared by the renderers so every
// table shows times and sizes the same way.
#pragma once

#include <cstdint>
#include <string>

namespace constellation::console {

/// Wall-clock ms since the epoch as UTC "2024-11-24T19:16:02Z"; "-" for 0.
std::string format_time_ms(std::int64_t time_ms);

/// Bytes as "512 B", "48.0 KiB", "64.0 MiB", "1.5 GiB".
std::string format_bytes(std::int64_t bytes);

}  // namespace constellation::console
