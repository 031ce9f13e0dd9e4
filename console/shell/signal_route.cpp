// SignalRoute (see signal_route.hpp): an async-signal-safe handler that only writes a byte.
#include "console/shell/signal_route.hpp"

#include <cerrno>

#include <unistd.h>

namespace constellation::console::shell {
namespace {

int g_signal_pipe = -1;

extern "C" void on_signal(int signo) {
  int saved = errno;
  unsigned char byte = static_cast<unsigned char>(signo);
  [[maybe_unused]] ssize_t ignored = ::write(g_signal_pipe, &byte, 1);
  errno = saved;
}

}  // namespace

SignalRoute::SignalRoute(int write_fd) {
  g_signal_pipe = write_fd;
  struct sigaction action {};
  action.sa_handler = on_signal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < kSignals.size(); ++i)
    ::sigaction(kSignals[i], &action, &previous_[i]);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous_pipe_);
}

SignalRoute::~SignalRoute() {
  for (std::size_t i = 0; i < kSignals.size(); ++i)
    ::sigaction(kSignals[i], &previous_[i], nullptr);
  ::sigaction(SIGPIPE, &previous_pipe_, nullptr);
  g_signal_pipe = -1;
}

}  // namespace constellation::console::shell
