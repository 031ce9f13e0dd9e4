// A child process on a pseudo-terminal of its own (forkpty), for driving interactive front
// ends (the shell) exactly as a terminal would: keys in, everything the program draws out.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace constellation::testing {

/// Owns the pty's master side and the child; the child is killed by PID on destruction if it
/// is still running. Not thread-safe.
class PtyProcess {
 public:
  /// Starts `argv` (argv[0] an absolute path) on a new `columns`×`rows` pty with extra
  /// environment variables; the pty is the child's controlling terminal and stdin/out/err.
  PtyProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             int columns = 100, int rows = 30);
  ~PtyProcess();
  PtyProcess(const PtyProcess&) = delete;
  PtyProcess& operator=(const PtyProcess&) = delete;

  bool started() const { return pid_ > 0; }
  /// Writes keys as typed: "\r" is Enter, "\t" Tab, "\x03" Ctrl-C, "\x04" Ctrl-D, "\x1b[A" Up.
  void type(const std::string& keys);
  /// What the program printed so far, with escape sequences, carriage returns, bells and
  /// backspaces removed (enough to search for text; not a screen model).
  std::string text();
  /// Polls text() until `needle` appears at or after offset `from`.
  bool shows(const std::string& needle, std::chrono::milliseconds deadline, std::size_t from = 0);
  /// Waits for the child's exit; its code (128+signal when killed), nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);

 private:
  void pump(int timeout_ms);

  pid_t pid_ = -1;
  int master_ = -1;
  std::string raw_;
  std::optional<int> status_;
};

/// Removes terminal control sequences (CSI, OSC, two-byte escapes), '\r', '\a' and '\b'.
std::string strip_terminal_controls(const std::string& raw);

}  // namespace constellation::testing
