// Secret files (api-token, cloudflare-token, ...): read only when nobody but the owner can
// read or write them, so a leaked mode is refused loudly instead of used quietly. Secret
// values are returned to the caller and never logged or put in an error message.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "agent/config/config.hpp"

namespace constellation::config {
namespace {

constexpr std::size_t kMaxSecretBytes = 64 * 1024;

/// Closes the descriptor on every return path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

Result<std::string> read_secret(const std::string& path) {
  // open() then fstat() checks the very file that is read, not whatever the path names later.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return fail(ErrorCode::not_found, "secret file " + path + " not found");
    return fail(ErrorCode::bad_config,
                "cannot read secret file " + path + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0)
    return fail(ErrorCode::bad_config,
                "cannot read secret file " + path + ": " + std::strerror(errno));
  if (!S_ISREG(info.st_mode))
    return fail(ErrorCode::bad_config, "secret file " + path + " is not a regular file");
  if ((info.st_mode & 077) != 0)
    return fail(ErrorCode::bad_config, "secret file " + path +
                                           " is readable by group or others (mode " +
                                           octal_mode(info.st_mode) + "); run: chmod 600 " + path);
  if (static_cast<std::size_t>(info.st_size) > kMaxSecretBytes)
    return fail(ErrorCode::bad_config, "secret file " + path + " is larger than 64 KiB");
  std::string value;
  char buffer[4096];
  while (true) {
    ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0)
      return fail(ErrorCode::bad_config,
                  "cannot read secret file " + path + ": " + std::strerror(errno));
    if (got == 0) break;
    value.append(buffer, static_cast<std::size_t>(got));
    if (value.size() > kMaxSecretBytes)
      return fail(ErrorCode::bad_config, "secret file " + path + " is larger than 64 KiB");
  }
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r' || value.back() == ' ' ||
                            value.back() == '\t'))
    value.pop_back();
  return value;
}

Result<std::optional<std::string>> read_api_token(const Config& config) {
  const std::string path = config.secrets_path + "/api-token";
  auto token = read_secret(path);
  if (!token) {
    if (token.error().code == ErrorCode::not_found) return std::nullopt;
    return std::unexpected(token.error());
  }
  if (token->empty())
    return fail(ErrorCode::bad_config,
                "secret file " + path + " is empty (write a token into it or remove the file)");
  return std::optional<std::string>(std::move(*token));
}

}  // namespace constellation::config
