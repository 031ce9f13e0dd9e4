// A private temporary directory per test, removed with everything in it when the test ends,
// so journal tests never share files and never leave any behind.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace constellation::journal::testing {

/// Owns a fresh directory under $TMPDIR (or /tmp); removes it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "journal-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// A path inside the directory, as a string.
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace constellation::journal::testing
