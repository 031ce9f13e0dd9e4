// The TUI loop (see app.hpp): one thread for the UI, the live feed's thread for /ws.
#include "console/tui/app.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <optional>

#include <poll.h>
#include <unistd.h>

#include "console/tui/keymap.hpp"
#include "console/tui/session.hpp"
#include "console/tui/terminal.hpp"

namespace constellation::console::tui {
namespace {

constexpr int kTickMs = 1000;

volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int signo) {
  g_stop_signal = signo;
}

/// While the TUI runs, SIGTERM, SIGHUP and SIGINT end it cleanly (the terminal is restored)
/// instead of leaving it in raw mode; the previous handlers and signal mask come back after.
/// The demo blocks these signals for its own wait, so they are unblocked here.
class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i)
      ::sigaction(kSignals[i], &action, &previous_[i]);
    sigset_t set;
    sigemptyset(&set);
    for (int signo : kSignals) sigaddset(&set, signo);
    ::pthread_sigmask(SIG_UNBLOCK, &set, &mask_);
  }
  ~StopSignals() {
    ::pthread_sigmask(SIG_SETMASK, &mask_, nullptr);
    for (std::size_t i = 0; i < kSignals.size(); ++i)
      ::sigaction(kSignals[i], &previous_[i], nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  static constexpr std::array<int, 3> kSignals{SIGTERM, SIGHUP, SIGINT};
  std::array<struct sigaction, 3> previous_{};
  sigset_t mask_{};
};
/// Enter in the `:` bar: run the line and show what it printed in the detail pane.
void run_bar_line(ViewState& view, const TuiOptions& options, const std::string& line) {
  if (!options.run_command) {
    view.message = "this console cannot run commands";
    return;
  }
  CommandRun run = options.run_command(line);
  Detail detail{.title = ":" + line +
                         (run.exit_code == 0 ? std::string()
                                             : "  (exit " + std::to_string(run.exit_code) + ")")};
  std::size_t start = 0;
  for (std::size_t end; (end = run.output.find('\n', start)) != std::string::npos; start = end + 1)
    detail.text.push_back(run.output.substr(start, end - start));
  if (start < run.output.size()) detail.text.push_back(run.output.substr(start));
  if (detail.text.empty()) detail.text.push_back("(no output)");
  view.help = false;
  view.detail = std::move(detail);
}

}  // namespace

int run_tui(const TuiOptions& options, std::ostream& err) {
  if (::isatty(STDIN_FILENO) != 1 || ::isatty(STDOUT_FILENO) != 1) {
    err << "console: needs a terminal on stdin and stdout; for scripts use `constellation "
           "nodes`, `services` or `events --follow -o json`\n";
    return exit_codes::usage;
  }
  // The feed's thread must never kill us with SIGPIPE; libcurl expects the same.
  std::signal(SIGPIPE, SIG_IGN);
  auto feed = LiveFeed::start(options.connect);
  if (!feed) {
    err << feed.error().message << "\n";
    return exit_codes::failed;
  }
  auto terminal = Terminal::open();
  if (!terminal) {
    err << terminal.error().message << "\n";
    return exit_code(terminal.error().code);
  }
  StopSignals stop_signals;
  Session session(options.connect);
  session.view.bar.history = options.history;
  for (;;) {
    if (g_stop_signal != 0) return exit_codes::ok;
    session.tick();
    const Frame frame{.width = (*terminal)->width(),
                      .height = (*terminal)->height(),
                      .now_ms = now_ms(),
                      .agent = options.agent,
                      .utf8 = (*terminal)->utf8()};
    (*terminal)->paint(render(session.model, session.view, frame));

    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {(*feed)->fd(), POLLIN, 0}};
    int ready = ::poll(fds, 2, kTickMs);
    if (ready < 0 && errno != EINTR) break;
    // SIGWINCH interrupts poll; curses then reports KEY_RESIZE through getch.
    for (int key; (key = (*terminal)->read_key()) != -1;) {
      if (key == keys::resize) (*terminal)->invalidate();
      if (session.view.bar.open && key != keys::resize) {
        auto outcome = bar_key(session.view.bar, key, options.complete);
        if (outcome.kind == BarOutcome::Kind::run)
          run_bar_line(session.view, options, outcome.line);
        continue;
      }
      auto reaction = handle_key(session.view, session.model, key, frame.height - 4);
      if (reaction.kind == Reaction::Kind::quit) return exit_codes::ok;
      if (reaction.kind == Reaction::Kind::fetch_detail) session.fetch_detail(reaction);
    }
    if (fds[1].revents != 0)
      for (const auto& message : (*feed)->drain()) session.on_message(message);
  }
  return exit_codes::failed;
}

}  // namespace constellation::console::tui
