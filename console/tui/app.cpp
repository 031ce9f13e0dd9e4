// The TUI loop (see app.hpp): one thread for the UI, the live feed's thread for /ws.
#include "console/tui/app.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <optional>

#include <poll.h>
#include <unistd.h>

#include "console/tui/keymap.hpp"
#include "console/tui/terminal.hpp"
#include "shared/api_paths.hpp"

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
constexpr int kHistory = 1000;  // journal events fetched on each (re)connect

/// The UI's state and its REST client, advanced by keys and /ws messages.
class Session {
 public:
  explicit Session(const TuiOptions& options) : options_(options) {}

  ClusterModel model;
  ViewState view;

  void on_message(const nlohmann::json& message) {
    const std::string type = message.value("type", "");
    if (type == "hello") {
      model.agent_node = message.value("node", "");
    } else if (type == "snapshot") {
      resync(message);
    } else if (type == "event") {
      auto event = event_from_json(message.value("event", nlohmann::json::object()));
      if (event) refresh(model.apply_event(*event));
    } else if (type == "down") {
      model.link = Link{.connected = false,
                        .error = message.value("error", ""),
                        .attempt = message.value("attempt", 1),
                        .retry_in_ms = message.value("retry_in_ms", 0)};
      client_.reset();
      pending_snapshot_.reset();  // the next connection brings its own snapshot
    }
  }

  /// Once per loop pass: a snapshot whose REST part failed is retried (the stream may be
  /// fine while a GET timed out).
  void tick() {
    if (pending_snapshot_ && !model.link.connected) resync(*pending_snapshot_);
  }

  void fetch_detail(const Reaction& reaction) {
    auto body = get(reaction.path);
    if (body)
      view.detail = Detail{.title = reaction.title, .body = std::move(*body)};
    else
      view.message = reaction.title + ": " + body.error().message;
  }

 private:
  Result<nlohmann::json> get(const std::string& path) {
    if (!client_) {
      auto client = options_.connect();
      if (!client) return std::unexpected(client.error());
      client_ = std::move(*client);
    }
    return client_->get(path);
  }

  /// A fresh snapshot after (re)connecting or a resync: nodes, services, recent events.
  void resync(const nlohmann::json& snapshot) {
    auto nodes = get(std::string(api_paths::nodes));
    auto services = get(std::string(api_paths::services));
    auto events = get(std::string(api_paths::events) + "?limit=" + std::to_string(kHistory));
    if (!nodes || !services || !events) {
      const Error& error = !nodes ? nodes.error() : !services ? services.error() : events.error();
      model.link = Link{.connected = false, .error = error.message, .attempt = 1};
      pending_snapshot_ = snapshot;
      client_.reset();
      return;
    }
    pending_snapshot_.reset();
    model.load_nodes(*nodes, now_ms());
    model.load_services(*services);
    model.load_events(events->value("events", nlohmann::json::array()));
    model.load_events(snapshot.value("events", nlohmann::json::array()));
    model.link = Link{.connected = true};
  }

  void refresh(const Refresh& refresh) {
    if (refresh.kind == Refresh::Kind::node) {
      if (auto node = get(std::string(api_paths::nodes) + "/" + refresh.name))
        model.apply_node(*node, now_ms());
    } else if (refresh.kind == Refresh::Kind::service) {
      auto service = get(std::string(api_paths::services) + "/" + refresh.name);
      if (service)
        model.apply_service(*service);
      else if (service.error().code == ErrorCode::not_found)
        model.remove_service(refresh.name);
    }
  }

  const TuiOptions& options_;
  std::unique_ptr<ApiClient> client_;
  std::optional<nlohmann::json> pending_snapshot_;
};

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
  Session session(options);
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
