// The history file's place and permissions (see history_file.hpp).
#include "console/shell/history_file.hpp"

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace constellation::console::shell {
namespace {

Status make_directories(const std::string& directory) {
  for (std::size_t slash = 1; slash != std::string::npos; slash = directory.find('/', slash + 1)) {
    std::string prefix = directory.substr(0, slash);
    if (prefix.empty() || prefix.back() == '/') continue;
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST)
      return fail(ErrorCode::internal,
                  "shell: cannot create " + prefix + " for the history: " + std::strerror(errno));
  }
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST)
    return fail(ErrorCode::internal,
                "shell: cannot create " + directory + " for the history: " + std::strerror(errno));
  return {};
}

}  // namespace

Result<std::string> history_path(
    const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  auto get = [&](const char* name) -> std::string {
    if (!getenv) return {};
    return getenv(name).value_or("");
  };
  std::string state = get("XDG_STATE_HOME");
  if (state.empty() || state.front() != '/') {
    std::string home = get("HOME");
    if (home.empty() || home.front() != '/')
      return fail(ErrorCode::not_found,
                  "shell: neither XDG_STATE_HOME nor HOME is set; history is not saved");
    state = home + "/.local/state";
  }
  return state + "/constellation/shell_history";
}

Status prepare_history_file(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0)
    if (auto made = make_directories(path.substr(0, slash)); !made) return made;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail(ErrorCode::internal,
                "shell: cannot open the history file " + path + ": " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) == 0 && (info.st_mode & 077) != 0) ::fchmod(fd, 0600);
  ::close(fd);
  return {};
}

std::vector<std::string> read_history_lines(const std::string& path, std::size_t max_lines) {
  std::ifstream in(path);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.starts_with("#")) continue;  // readline's timestamp lines
    lines.push_back(std::move(line));
    if (lines.size() > max_lines) lines.pop_front();
  }
  return {lines.begin(), lines.end()};
}

Status append_history_line(const std::string& path, const std::string& line) {
  if (auto ready = prepare_history_file(path); !ready) return ready;
  std::ofstream out(path, std::ios::app);
  out << line << '\n';
  if (!out) return fail(ErrorCode::internal, "shell: cannot append to the history file " + path);
  return {};
}

}  // namespace constellation::console::shell
