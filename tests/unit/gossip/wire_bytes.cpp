// Parser for the capture notation used in the contract document.
#include "tests/unit/gossip/wire_bytes.hpp"

#include <cctype>
#include <cstdlib>

#include <gtest/gtest.h>

namespace constellation::gossip::testing {

Bytes wire(std::string_view s) {
  Bytes out;
  std::size_t i = 0;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '"') {
      const std::size_t end = s.find('"', i + 1);
      if (end == std::string_view::npos) std::abort();
      out.insert(out.end(), s.begin() + static_cast<std::ptrdiff_t>(i + 1),
                 s.begin() + static_cast<std::ptrdiff_t>(end));
      i = end + 1;
    } else {
      if (i + 1 >= s.size() || nibble(c) < 0 || nibble(s[i + 1]) < 0) std::abort();
      out.push_back(static_cast<std::uint8_t>(nibble(c) << 4 | nibble(s[i + 1])));
      i += 2;
    }
  }
  return out;
}

std::string to_hex(const Bytes& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

Bytes bytes_of(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

}  // namespace constellation::gossip::testing
