// Test helper: bytes written the way memberlist-wire.md prints captures, e.g.
// `00 85 a4"Node" a1"c"` (hex pairs, and quoted ASCII), so vectors can be pasted verbatim.
#pragma once

#include <string>
#include <string_view>

#include "agent/gossip/messages.hpp"

namespace constellation::gossip::testing {

/// Parses hex pairs and "quoted text"; whitespace is ignored. Aborts the test on bad input.
Bytes wire(std::string_view notation);
/// Lower-case hex of `bytes`, for readable failure messages.
std::string to_hex(const Bytes& bytes);
/// Bytes of a string.
Bytes bytes_of(std::string_view text);

}  // namespace constellation::gossip::testing
