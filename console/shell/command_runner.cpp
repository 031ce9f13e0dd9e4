// Forked command execution for the shell (see command_runner.hpp).
#include "console/shell/command_runner.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <iostream>

#include <sys/wait.h>
#include <unistd.h>

#include "console/command/dispatch.hpp"

namespace constellation::console::shell {

Context command_context(const Context& shell, std::ostream& out, std::ostream& err) {
  Context context{.out = out, .err = err};
  context.format = shell.format;
  context.is_tty = shell.is_tty;
  context.agent_address = shell.agent_address;
  context.agent_address_given = shell.agent_address_given;
  context.token_file = shell.token_file;
  context.make_client = shell.make_client;
  context.run_agent = shell.run_agent;
  context.getenv = [getenv = shell.getenv](const std::string& name) -> std::optional<std::string> {
    if (name == kAgentEnv || name == kTokenFileEnv || !getenv) return std::nullopt;
    return getenv(name);
  };
  return context;
}

Result<pid_t> start_command(const Context& shell, const CommandWords& words,
                            std::span<const int> close_fds) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return fail(ErrorCode::internal, "shell: cannot start the command (fork failed)");
  if (pid > 0) return pid;

  // The child: the terminal's signals act on it as on a one-shot command.
  for (int signo : {SIGINT, SIGQUIT, SIGPIPE, SIGCHLD, SIGWINCH, SIGTERM, SIGHUP})
    std::signal(signo, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int fd : close_fds) ::close(fd);
  Context context = command_context(shell, std::cout, std::cerr);
  context.is_tty = ::isatty(STDOUT_FILENO) == 1;
  int code = dispatch(context, words);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  // _exit: the shell's own state (readline, the live feed, history) must not be torn down
  // or written by the child.
  ::_exit(code);
}

int exit_code_of(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return exit_codes::failed;
}

int run_script(const Context& context, std::istream& input) {
  int last = exit_codes::ok;
  for (std::string line; std::getline(input, line);) {
    auto commands = split_command_line(line);
    if (!commands) {
      context.err << commands.error().message << "\n";
      last = exit_codes::usage;
      continue;
    }
    for (const CommandWords& words : *commands) {
      if (words.size() == 1 && (words[0] == "exit" || words[0] == "quit")) return last;
      auto pid = start_command(context, words, {});
      if (!pid) {
        context.err << pid.error().message << "\n";
        return exit_codes::failed;
      }
      int status = 0;
      while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
      }
      last = exit_code_of(status);
    }
  }
  return last;
}

}  // namespace constellation::console::shell
