// CRC-32 (IEEE 802.3 / zlib, reflected polynomial 0xEDB88320), the checksum memberlist's
// hasCrc wrapper carries (Go's crc32.ChecksumIEEE). Pure function, any thread.
#pragma once

#include <cstdint>
#include <span>

namespace constellation::gossip {

/// CRC-32 IEEE of `data`; crc32_ieee("123456789") == 0xCBF43926.
std::uint32_t crc32_ieee(std::span<const std::uint8_t> data);

}  // namespace constellation::gossip
