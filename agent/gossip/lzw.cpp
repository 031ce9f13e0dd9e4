// Go-compatible LZW (LSB, litWidth 8). The writer keeps an open-addressing table from
// (prefix code, next byte) to code; the reader keeps prefix/suffix arrays. Both track `hi`
// (the next code to assign) identically, which is what keeps their code widths in step.
#include "agent/gossip/lzw.hpp"

#include <array>
#include <memory>

namespace constellation::gossip {
namespace {

constexpr std::uint32_t kClear = 256;
constexpr std::uint32_t kEof = 257;
constexpr std::uint32_t kMaxCode = 4095;  // 12-bit codes
constexpr unsigned kMaxWidth = 12;
constexpr std::uint32_t kInvalid = 0xFFFFFFFFu;
constexpr std::size_t kTableSize = 4 * 4096;  // 4x the number of codes keeps probes short
constexpr std::uint32_t kTableMask = kTableSize - 1;

/// Writer state; lives on the heap because the table is 64 KiB.
class LzwWriter {
 public:
  explicit LzwWriter(Bytes& out) : out_(out) { reset_table(); }

  void compress(std::span<const std::uint8_t> input) {
    write_code(kClear);  // Go always starts with a clear code
    if (input.empty()) {
      write_code(kEof);
      flush();
      return;
    }
    std::uint32_t code = input[0];
    for (std::size_t i = 1; i < input.size(); ++i) {
      const std::uint32_t literal = input[i];
      const std::uint32_t key = code << 8 | literal;
      std::uint32_t slot = (key >> 12 ^ key) & kTableMask;
      bool found = false;
      for (std::uint32_t entry = table_[slot]; entry != kInvalid; entry = table_[slot]) {
        if (entry >> 12 == key) {
          code = entry & kMaxCode;
          found = true;
          break;
        }
        slot = (slot + 1) & kTableMask;
      }
      if (found) continue;
      write_code(code);
      code = literal;
      if (next_code()) continue;  // ran out of codes: table was reset, nothing to insert
      table_[slot] = key << 12 | hi_;
    }
    write_code(code);
    next_code();
    write_code(kEof);
    flush();
  }

 private:
  void reset_table() { table_.fill(kInvalid); }

  void write_code(std::uint32_t code) {
    bits_ |= code << nbits_;
    nbits_ += width_;
    while (nbits_ >= 8) {
      out_.push_back(static_cast<std::uint8_t>(bits_));
      bits_ >>= 8;
      nbits_ -= 8;
    }
  }

  void flush() {
    if (nbits_ > 0) out_.push_back(static_cast<std::uint8_t>(bits_));
    bits_ = 0;
    nbits_ = 0;
  }

  /// Advances hi; widens codes at a power of two; at 4095 emits a clear and starts over.
  /// Returns true when it started over.
  bool next_code() {
    ++hi_;
    if (hi_ == overflow_) {
      ++width_;
      overflow_ <<= 1;
    }
    if (hi_ == kMaxCode) {
      write_code(kClear);
      width_ = 9;
      hi_ = kEof;
      overflow_ = 512;
      reset_table();
      return true;
    }
    return false;
  }

  Bytes& out_;
  std::uint32_t bits_ = 0;
  unsigned nbits_ = 0;
  unsigned width_ = 9;
  std::uint32_t hi_ = kEof;
  std::uint32_t overflow_ = 512;
  std::array<std::uint32_t, kTableSize> table_{};
};

}  // namespace

Bytes lzw_compress(std::span<const std::uint8_t> input) {
  Bytes out;
  out.reserve(input.size() / 2 + 8);
  auto writer = std::make_unique<LzwWriter>(out);
  writer->compress(input);
  return out;
}

WireResult<Bytes> lzw_decompress(std::span<const std::uint8_t> input, std::size_t max_output) {
  // prefix[c] < c for every assigned code, so walking a chain always terminates.
  auto prefix = std::make_unique<std::array<std::uint16_t, 4096>>();
  auto suffix = std::make_unique<std::array<std::uint8_t, 4096>>();
  std::array<std::uint8_t, 4096> expansion{};
  prefix->fill(0);
  suffix->fill(0);

  Bytes out;
  std::size_t pos = 0;
  std::uint32_t bits = 0;
  unsigned nbits = 0;
  unsigned width = 9;
  std::uint32_t hi = kEof;
  std::uint32_t overflow = 512;
  std::uint32_t last = kInvalid;

  for (;;) {
    while (nbits < width) {
      if (pos == input.size()) {
        return wire_fail(DropReason::truncated, "LZW stream ends before its EOF code");
      }
      bits |= static_cast<std::uint32_t>(input[pos++]) << nbits;
      nbits += 8;
    }
    const std::uint32_t code = bits & ((1u << width) - 1);
    bits >>= width;
    nbits -= width;

    if (code == kClear) {
      width = 9;
      hi = kEof;
      overflow = 512;
      last = kInvalid;
      continue;
    }
    if (code == kEof) return out;
    if (code > hi) return wire_fail(DropReason::malformed, "LZW code beyond the table");

    std::size_t i = expansion.size();
    std::uint32_t c = code;
    if (code >= kClear && code == hi && last != kInvalid) {
      // The code being defined right now: last's expansion plus its own first byte.
      c = last;
      while (c >= kClear) c = (*prefix)[c];
      expansion[--i] = static_cast<std::uint8_t>(c);
      c = last;
    }
    while (c >= kClear) {
      expansion[--i] = (*suffix)[c];
      c = (*prefix)[c];
    }
    expansion[--i] = static_cast<std::uint8_t>(c);
    if (out.size() + (expansion.size() - i) > max_output) {
      return wire_fail(DropReason::oversized, "LZW output exceeds the decompression limit");
    }
    out.insert(out.end(), expansion.begin() + static_cast<std::ptrdiff_t>(i), expansion.end());
    if (last != kInvalid) {
      (*suffix)[hi] = static_cast<std::uint8_t>(c);
      (*prefix)[hi] = static_cast<std::uint16_t>(last);
    }

    last = code;
    ++hi;
    if (hi >= overflow) {
      if (width == kMaxWidth) {
        last = kInvalid;  // table full: no new entries until the next clear
        --hi;
      } else {
        ++width;
        overflow <<= 1;
      }
    }
  }
}

}  // namespace constellation::gossip
