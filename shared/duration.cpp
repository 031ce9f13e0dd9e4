// Duration parsing and formatting.
#include "shared/duration.hpp"

#include <cctype>
#include <cstdint>

namespace constellation {

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return fail(ErrorCode::invalid_argument, "invalid duration '" + std::string(text) +
                                                 "': " + std::string(why) +
                                                 " (use e.g. 30s, 15m, 1h30m, 7d, 250ms)");
  };
  if (text.empty()) return bad("empty");
  std::int64_t total_ms = 0;
  std::size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return bad("expected a number");
    std::int64_t number = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      number = number * 10 + (text[i] - '0');
      if (number > 1'000'000'000) return bad("too large");
      ++i;
    }
    std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    std::int64_t scale = 0;
    if (unit == "ms")
      scale = 1;
    else if (unit == "s" || (unit.empty() && !any && i == text.size()))
      scale = 1000;
    else if (unit == "m")
      scale = 60'000;
    else if (unit == "h")
      scale = 3'600'000;
    else if (unit == "d")
      scale = 86'400'000;
    else
      return bad(unit.empty() ? "missing unit" : "unknown unit '" + std::string(unit) + "'");
    total_ms += number * scale;
    any = true;
  }
  return std::chrono::milliseconds(total_ms);
}

std::string format_duration(std::chrono::milliseconds duration) {
  std::int64_t ms = duration.count();
  if (ms < 0) return "-" + format_duration(std::chrono::milliseconds(-ms));
  if (ms < 1000) return ms == 0 ? "0s" : std::to_string(ms) + "ms";
  std::int64_t s = ms / 1000;
  const std::int64_t d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60, sec = s % 60;
  auto two = [](std::int64_t big, const char* bu, std::int64_t small, const char* su) {
    std::string out = std::to_string(big) + bu;
    if (small) out += std::to_string(small) + su;
    return out;
  };
  if (d) return two(d, "d", h, "h");
  if (h) return two(h, "h", m, "m");
  if (m) return two(m, "m", sec, "s");
  return std::to_string(sec) + "s";
}

}  // namespace constellation
