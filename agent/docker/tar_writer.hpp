// A minimal in-memory ustar writer for build contexts and image root filesystems (regular
// files, directories, symlinks), so the agent and its tests need no external tar. Not
// thread-safe; one writer per archive.
#pragma once

#include <string>
#include <string_view>

#include "shared/error.hpp"

namespace constellation::docker {

/// Builds a tar archive in memory. Paths are relative ("bin/sh"); owner root, mtime 0.
class TarWriter {
 public:
  /// invalid_argument for an empty path, one over 255 bytes, or one that cannot be split
  /// into ustar's 155-byte prefix and 100-byte name.
  Status add_directory(std::string_view path, unsigned mode = 0755);
  Status add_file(std::string_view path, std::string_view content, unsigned mode = 0644);
  Status add_symlink(std::string_view path, std::string_view target);
  /// The archive with its two terminating zero blocks; the writer is left empty.
  std::string finish();

 private:
  Status add(std::string_view path, char type, std::string_view content, std::string_view link,
             unsigned mode);
  std::string data_;
};

}  // namespace constellation::docker
