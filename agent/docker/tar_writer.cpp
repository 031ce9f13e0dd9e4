// ustar archive writing; see tar_writer.hpp. Header layout per POSIX pax/ustar.
#include "agent/docker/tar_writer.hpp"

#include <array>
#include <cstring>

namespace constellation::docker {

namespace {
constexpr std::size_t kBlock = 512;

void put(std::array<char, kBlock>& h, std::size_t offset, std::size_t width,
         std::string_view text) {
  if (!text.empty()) std::memcpy(h.data() + offset, text.data(), std::min(width, text.size()));
}

void put_octal(std::array<char, kBlock>& h, std::size_t offset, std::size_t width,
               unsigned long long value) {
  // width-1 zero-padded octal digits, then a NUL (already zero).
  for (std::size_t i = width - 1; i-- > 0; value >>= 3) {
    h[offset + i] = static_cast<char>('0' + (value & 7));
  }
}
}  // namespace

Status TarWriter::add(std::string_view path, char type, std::string_view content,
                      std::string_view link, unsigned mode) {
  std::string name(path);
  if (type == '5' && !name.empty() && name.back() != '/') name += '/';
  std::string_view prefix;
  std::string_view base = name;
  if (name.size() > 100) {
    auto slash = name.rfind('/', name.size() - 2);
    while (slash != std::string::npos && slash > 155) slash = name.rfind('/', slash - 1);
    if (slash == std::string::npos || name.size() - slash - 1 > 100) {
      return fail(ErrorCode::invalid_argument, "tar path too long: " + name);
    }
    prefix = std::string_view(name).substr(0, slash);
    base = std::string_view(name).substr(slash + 1);
  }
  if (path.empty() || link.size() > 100) {
    return fail(ErrorCode::invalid_argument,
                "tar entry needs a path and a link target of at most 100 bytes: " + name);
  }
  std::array<char, kBlock> h{};
  put(h, 0, 100, base);
  put_octal(h, 100, 8, mode);
  put_octal(h, 108, 8, 0);
  put_octal(h, 116, 8, 0);
  put_octal(h, 124, 12, content.size());
  put_octal(h, 136, 12, 0);
  std::memset(h.data() + 148, ' ', 8);
  h[156] = type;
  put(h, 157, 100, link);
  put(h, 257, 6, std::string_view("ustar\0", 6));
  put(h, 263, 2, "00");
  put(h, 265, 32, "root");
  put(h, 297, 32, "root");
  put(h, 345, 155, prefix);
  unsigned sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  put_octal(h, 148, 7, sum);  // six digits, NUL, and the space set above
  h[154] = '\0';
  h[155] = ' ';
  data_.append(h.data(), kBlock);
  data_.append(content);
  data_.append((kBlock - content.size() % kBlock) % kBlock, '\0');
  return {};
}

Status TarWriter::add_directory(std::string_view path, unsigned mode) {
  return add(path, '5', {}, {}, mode);
}

Status TarWriter::add_file(std::string_view path, std::string_view content, unsigned mode) {
  return add(path, '0', content, {}, mode);
}

Status TarWriter::add_symlink(std::string_view path, std::string_view target) {
  return add(path, '2', {}, target, 0777);
}

std::string TarWriter::finish() {
  data_.append(2 * kBlock, '\0');
  std::string out = std::move(data_);
  data_.clear();
  return out;
}

}  // namespace constellation::docker
