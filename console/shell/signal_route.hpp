// The shell's signals as bytes on a self-pipe (SIGINT, SIGCHLD, SIGWINCH), so its poll()
// loop sees them in order with its other input; SIGPIPE is ignored for the live feed's thread
// and libcurl. Scoped: the previous handlers come back when the route is destroyed.
#pragma once

#include <array>
#include <csignal>

namespace constellation::console::shell {

/// Installs the handlers writing each signal's number as one byte to `write_fd` (a
/// non-blocking pipe the caller owns). One per process; not thread-safe.
class SignalRoute {
 public:
  explicit SignalRoute(int write_fd);
  ~SignalRoute();
  SignalRoute(const SignalRoute&) = delete;
  SignalRoute& operator=(const SignalRoute&) = delete;

 private:
  static constexpr std::array<int, 3> kSignals{SIGINT, SIGCHLD, SIGWINCH};
  std::array<struct sigaction, 3> previous_{};
  struct sigaction previous_pipe_ {};
};

}  // namespace constellation::console::shell
