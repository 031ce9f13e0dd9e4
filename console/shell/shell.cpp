// The shell's loop (see shell.hpp): one poll() over stdin, the live feed's pipe and a
// self-pipe for signals. At the prompt readline owns stdin; while a command's child runs, the
// child owns the terminal and event lines wait until the prompt is back.
#include "console/shell/shell.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iostream>
#include <memory>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "console/render/events.hpp"
#include "console/shell/command_runner.hpp"
#include "console/shell/completion.hpp"
#include "console/shell/history_file.hpp"
#include "console/shell/signal_route.hpp"
#include "console/tui/live_feed.hpp"

namespace constellation::console::shell {
namespace {

constexpr const char* kPrompt = "constellation> ";
/// Event lines kept while a command runs; older ones are counted, not printed.
constexpr std::size_t kHeldEvents = 20;

class Shell;
Shell* g_shell = nullptr;  // readline's callbacks are plain functions

class Shell {
 public:
  Shell(const Context& context, const ShellOptions& options)
      : context_(context), events_on_(options.events) {}

  int run();

  void on_line(char* line);
  char** complete(const char* text, int start);
  const std::vector<std::string>& candidates() const { return candidates_; }

 private:
  void open_history();
  void start_feed();
  void show_prompt();
  void hide_prompt();
  void on_signals();
  void on_feed();
  void print_above_prompt(const std::string& text);
  void cancel_typed_line();
  void run_next();
  bool run_builtin(const CommandWords& words);
  void reap();

  const Context& context_;
  bool events_on_;
  std::array<int, 2> signal_pipe_{-1, -1};
  std::unique_ptr<tui::LiveFeed> feed_;
  bool feed_down_ = false;
  std::string history_path_;
  bool prompt_active_ = false;
  bool quit_ = false;
  std::deque<CommandWords> queue_;  ///< the rest of the current line's commands
  pid_t child_ = -1;
  std::string child_command_;
  bool interrupted_ = false;
  bool resized_ = false;  ///< the terminal changed size while a command ran
  std::vector<std::string> held_;
  std::size_t dropped_ = 0;
  std::vector<std::string> candidates_;
};

extern "C" void line_handler(char* line) {
  g_shell->on_line(line);
}

extern "C" char** completion_hook(const char* text, int start, int) {
  return g_shell->complete(text, start);
}

extern "C" char* candidate_generator(const char*, int state) {
  static std::size_t next = 0;
  if (state == 0) next = 0;
  const auto& all = g_shell->candidates();
  if (next >= all.size()) return nullptr;
  return ::strdup(all[next++].c_str());
}

void Shell::open_history() {
  using_history();
  stifle_history(kHistoryLines);
  auto path = history_path(context_.getenv);
  if (!path) {
    context_.err << path.error().message << "\n";
    return;
  }
  if (auto ready = prepare_history_file(*path); !ready) {
    context_.err << ready.error().message << "; history is not saved\n";
    return;
  }
  history_path_ = *path;
  read_history(history_path_.c_str());
}

void Shell::start_feed() {
  if (!events_on_ || feed_) return;
  auto feed = tui::LiveFeed::start([make = context_.make_client, address = context_.agent_address,
                                    token = context_.token_file] { return make(address, token); });
  if (!feed) {
    context_.err << feed.error().message << "\n";
    return;
  }
  feed_ = std::move(*feed);
}

void Shell::show_prompt() {
  if (prompt_active_) return;
  prompt_active_ = true;
  rl_callback_handler_install(kPrompt, line_handler);
  if (resized_) rl_resize_terminal();
  resized_ = false;
  for (const std::string& line : held_) print_above_prompt(line);
  if (dropped_ > 0)
    print_above_prompt("(" + std::to_string(dropped_) +
                       " more events while the command ran: `events --since 5m` lists them)\n");
  held_.clear();
  dropped_ = 0;
}

void Shell::hide_prompt() {
  if (!prompt_active_) return;
  prompt_active_ = false;
  rl_callback_handler_remove();
}

void Shell::print_above_prompt(const std::string& text) {
  if (!prompt_active_) {
    if (held_.size() < kHeldEvents)
      held_.push_back(text);
    else
      ++dropped_;
    return;
  }
  // readline's callback-mode pattern: clear the prompt and the typed text, print, then
  // redraw both with the cursor where it was.
  int point = rl_point;
  char* typed = rl_copy_text(0, rl_end);
  rl_save_prompt();
  rl_replace_line("", 0);
  rl_redisplay();
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
  rl_restore_prompt();
  rl_replace_line(typed, 0);
  rl_point = point;
  rl_redisplay();
  std::free(typed);
}

void Shell::cancel_typed_line() {
  // Ctrl-C at the prompt: drop the typed line, show ^C and a fresh prompt, as bash does.
  rl_free_line_state();
  rl_callback_sigcleanup();
  rl_replace_line("", 0);
  rl_point = 0;
  std::fputs("^C\n", stdout);
  std::fflush(stdout);
  rl_on_new_line();
  rl_redisplay();
}

void Shell::on_line(char* line) {
  if (line == nullptr) {  // Ctrl-D on an empty line
    std::fputs("\n", stdout);
    hide_prompt();
    quit_ = true;
    return;
  }
  std::string text(line);
  std::free(line);
  if (text.find_first_not_of(" \t") == std::string::npos) return;
  add_history(text.c_str());
  if (!history_path_.empty()) append_history(1, history_path_.c_str());
  auto commands = split_command_line(text);
  if (!commands) {
    context_.err << commands.error().message << "\n";
    return;
  }
  if (commands->empty()) return;
  hide_prompt();  // commands own the terminal until the line is done
  for (auto& words : *commands) queue_.push_back(std::move(words));
}

char** Shell::complete(const char* text, int start) {
  rl_attempted_completion_over = 1;  // never fall back to file names
  CommandWords words = words_of_last_command(std::string_view(rl_line_buffer, start));
  words.emplace_back(text);
  candidates_ = shell_candidates(context_, words);
  if (candidates_.empty()) return nullptr;
  return rl_completion_matches(text, candidate_generator);
}

bool Shell::run_builtin(const CommandWords& words) {
  const std::string& name = words[0];
  if ((name == "exit" || name == "quit") && words.size() == 1) {
    quit_ = true;
    return true;
  }
  if (name == "history" && words.size() == 1) {
    HIST_ENTRY** list = history_list();
    for (int i = 0; list && list[i]; ++i) std::printf("%5d  %s\n", i + history_base, list[i]->line);
    std::fflush(stdout);
    return true;
  }
  if (name == "events" && words.size() == 2 && (words[1] == "on" || words[1] == "off")) {
    events_on_ = words[1] == "on";
    if (events_on_) start_feed();
    if (!events_on_) feed_.reset();  // the reader thread stops at its next message
    std::printf("live event lines %s\n", events_on_ ? "on" : "off");
    std::fflush(stdout);
    return true;
  }
  if (name == "shell") {
    context_.err << "shell: already in the shell\n";
    return true;
  }
  return false;
}

void Shell::run_next() {
  CommandWords words = std::move(queue_.front());
  queue_.pop_front();
  if (run_builtin(words)) return;
  std::vector<int> close_fds{signal_pipe_[0], signal_pipe_[1]};
  if (feed_) close_fds.push_back(feed_->fd());
  auto pid = start_command(context_, words, close_fds);
  if (!pid) {
    context_.err << pid.error().message << "\n";
    queue_.clear();
    return;
  }
  child_ = *pid;
  child_command_ = words[0];
  interrupted_ = false;
}

void Shell::reap() {
  if (child_ < 0) return;
  int status = 0;
  pid_t done = ::waitpid(child_, &status, WNOHANG);
  if (done != child_) return;
  child_ = -1;
  if (interrupted_ || WIFSIGNALED(status)) {
    // Ctrl-C cancels the rest of the line too; the terminal's cursor may be mid-line.
    std::fputs("\n", stdout);
    std::fflush(stdout);
    queue_.clear();
  }
  // `events` showed the events itself; printing the held ones again would repeat them.
  if (child_command_ == "events") {
    held_.clear();
    dropped_ = 0;
  }
}

void Shell::on_signals() {
  unsigned char bytes[64];
  ssize_t n = ::read(signal_pipe_[0], bytes, sizeof bytes);
  auto got = [&](int signo) {
    return std::find(bytes, bytes + std::max<ssize_t>(n, 0), signo) !=
           bytes + std::max<ssize_t>(n, 0);
  };
  // The terminal signals the whole foreground group at once, so a child stopped by Ctrl-C can
  // report SIGCHLD before the shell's own SIGINT handler runs; the interrupt is looked at
  // first so it is never taken for a command that simply ended.
  if (got(SIGINT)) {
    if (child_ >= 0)
      interrupted_ = true;  // the terminal sent SIGINT to the child too
    else if (prompt_active_)
      cancel_typed_line();
  }
  if (got(SIGCHLD)) reap();
  if (got(SIGWINCH)) {
    if (prompt_active_)
      rl_resize_terminal();
    else
      resized_ = true;  // readline learns the new size when the prompt comes back
  }
}

void Shell::on_feed() {
  for (const auto& message : feed_->drain()) {
    std::string type = message.value("type", "");
    if (type == "down") {
      if (!feed_down_)
        print_above_prompt("(live events: " + message.value("error", std::string()) +
                           "; reconnecting)\n");
      feed_down_ = true;
    } else if (type == "hello") {
      if (feed_down_) print_above_prompt("(live events: connected again)\n");
      feed_down_ = false;
    } else if (type == "event") {
      auto event = event_from_json(message.value("event", nlohmann::json::object()));
      if (event) print_above_prompt(follow_line(*event));
    }
  }
}

int Shell::run() {
  if (::pipe2(signal_pipe_.data(), O_CLOEXEC | O_NONBLOCK) != 0) {
    context_.err << "shell: cannot create a pipe for signals\n";
    return exit_codes::failed;
  }
  SignalRoute signals(signal_pipe_[1]);
  g_shell = this;
  rl_readline_name = "constellation";
  rl_catch_signals = 0;  // SIGINT and SIGWINCH come through the self-pipe instead
  rl_catch_sigwinch = 0;
  rl_attempted_completion_function = completion_hook;
  rl_completer_word_break_characters = " \t\n;";
  rl_completer_quote_characters = "'\"";
  open_history();
  start_feed();
  show_prompt();
  while (!quit_) {
    if (child_ < 0 && !queue_.empty()) {
      run_next();
      continue;
    }
    if (child_ < 0 && !prompt_active_) show_prompt();
    std::array<pollfd, 3> fds{pollfd{signal_pipe_[0], POLLIN, 0},
                              pollfd{prompt_active_ ? STDIN_FILENO : -1, POLLIN, 0},
                              pollfd{feed_ ? feed_->fd() : -1, POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) on_signals();
    if (fds[1].revents != 0 && prompt_active_) rl_callback_read_char();
    if (fds[2].revents != 0 && feed_) on_feed();
  }
  hide_prompt();
  if (!history_path_.empty()) history_truncate_file(history_path_.c_str(), kHistoryLines);
  g_shell = nullptr;
  ::close(signal_pipe_[0]);
  ::close(signal_pipe_[1]);
  return exit_codes::ok;
}

}  // namespace

int run_shell(const Context& context, const ShellOptions& options) {
  if (::isatty(STDIN_FILENO) != 1) return run_script(context, std::cin);
  Shell shell(context, options);
  return shell.run();
}

}  // namespace constellation::console::shell
