// PtyProcess (see pty.hpp): forkpty, a non-blocking read of everything the child draws, and
// waitpid with a deadline.
#include "tests/harness/pty.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

namespace constellation::testing {

PtyProcess::PtyProcess(const std::vector<std::string>& argv,
                       const std::map<std::string, std::string>& env, int columns, int rows) {
  winsize size{};
  size.ws_col = static_cast<unsigned short>(columns);
  size.ws_row = static_cast<unsigned short>(rows);
  pid_t pid = ::forkpty(&master_, nullptr, nullptr, &size);
  if (pid == 0) {
    for (const auto& [key, value] : env) ::setenv(key.c_str(), value.c_str(), 1);
    std::vector<std::string> storage = argv;
    std::vector<char*> args;
    for (auto& word : storage) args.push_back(word.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  if (pid < 0) {
    master_ = -1;
    return;
  }
  pid_ = pid;
  ::fcntl(master_, F_SETFL, ::fcntl(master_, F_GETFL) | O_NONBLOCK);
}

PtyProcess::~PtyProcess() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (master_ >= 0) ::close(master_);
}

void PtyProcess::type(const std::string& keys) {
  std::size_t done = 0;
  while (done < keys.size()) {
    ssize_t n = ::write(master_, keys.data() + done, keys.size() - done);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
      pump(10);
      continue;
    }
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

void PtyProcess::pump(int timeout_ms) {
  if (master_ < 0) return;
  pollfd fd{master_, POLLIN, 0};
  if (::poll(&fd, 1, timeout_ms) <= 0) return;
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(master_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EAGAIN, or EIO once the child has closed the terminal
    raw_.append(buffer, static_cast<std::size_t>(n));
  }
}

std::string PtyProcess::text() {
  pump(0);
  return strip_terminal_controls(raw_);
}

bool PtyProcess::shows(const std::string& needle, std::chrono::milliseconds deadline,
                       std::size_t from) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    std::string now = text();
    if (now.size() > from && now.find(needle, from) != std::string::npos) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    pump(50);
  }
}

std::optional<int> PtyProcess::wait(std::chrono::milliseconds timeout) {
  if (status_) return status_;
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    pump(0);
    int status = 0;
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pump(0);
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return status_;
    }
    pump(50);
  }
  return std::nullopt;
}

std::string strip_terminal_controls(const std::string& raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\x1b' && i + 1 < raw.size()) {
      char kind = raw[i + 1];
      if (kind == '[') {  // CSI: parameters, then one final byte in 0x40-0x7e
        std::size_t j = i + 2;
        while (j < raw.size() && (raw[j] < 0x40 || raw[j] > 0x7e)) ++j;
        i = j;
      } else if (kind == ']') {  // OSC: up to BEL or ESC backslash
        std::size_t j = i + 2;
        while (j < raw.size() && raw[j] != '\a' && !(raw[j] == '\x1b' && j + 1 < raw.size())) ++j;
        i = (j < raw.size() && raw[j] == '\x1b') ? j + 1 : j;
      } else if (kind == '(' || kind == ')') {
        i += 2;  // character set selection: ESC ( B
      } else {
        i += 1;  // ESC =, ESC >, ...
      }
      continue;
    }
    if (c == '\r' || c == '\a' || c == '\b') continue;
    out += c;
  }
  return out;
}

}  // namespace constellation::testing
