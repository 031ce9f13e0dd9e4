// Shared by the config unit tests: a private temporary directory for config and secret files
// and LoadInputs with a fake environment, so no test reads the real /etc or process env.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "agent/config/config.hpp"

namespace constellation::config::testing {

/// Owns a fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "constellation-config-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Writes `text` to NAME inside the directory with `mode`; returns the full path.
  std::string write(const std::string& name, const std::string& text, mode_t mode = 0600) const {
    std::string file = path_ + "/" + name;
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    ::chmod(file.c_str(), mode);
    return file;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Inputs with a fake environment, a fixed host name and a default config file that does not
/// exist, so each test states exactly what it layers.
inline LoadInputs inputs(std::vector<std::string> args = {},
                         std::map<std::string, std::string> env = {},
                         std::string default_file = "/nonexistent/constellation/config.yaml") {
  LoadInputs in;
  in.args = std::move(args);
  in.getenv = [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  in.default_config_file = std::move(default_file);
  in.hostname = [] { return std::string("testhost"); };
  return in;
}

/// The error message of a failed load, or a marker that makes the calling assertion fail.
inline std::string load_error(const LoadInputs& in) {
  auto loaded = load(in);
  return loaded ? std::string("<load succeeded>") : loaded.error().message;
}

}  // namespace constellation::config::testing
