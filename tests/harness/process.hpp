// Black-box test harness: start the real `constellation` binary (agents and one-shot
// commands) as child processes, each in its own temporary directory, and stop them by PID.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace constellation::testing {

/// Path of the binary under test (set by CMake).
std::string binary_path();

/// A temporary directory removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Polls `done` every 100 ms until it holds or `deadline` passes; returns its last value.
/// For states that converge (gossip, journals), never for timing assertions.
template <typename Predicate>
bool eventually(Predicate done, std::chrono::milliseconds deadline = std::chrono::seconds(40)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `argv` (argv[0] an absolute path) to completion with extra environment variables,
/// stdin from /dev/null, and a deadline after which the child is killed (exit_code then -1).
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {},
                          std::chrono::milliseconds deadline = std::chrono::seconds(20));

/// run_command() of `constellation args...`.
CommandResult run_cli(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env = {},
                      std::chrono::milliseconds deadline = std::chrono::seconds(20));

/// A child process whose stdout/stderr go to files; stopped by PID on destruction.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
        const std::string& log_path);
  ~Child();
  Child(const Child&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int signo);
  /// Waits for exit; returns the exit code (128+signal when killed), nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_path_;
};

/// One agent process with its own data dir, unix socket and TCP API port.
class Agent {
 public:
  struct Options {
    std::string node = "node-a";
    std::vector<std::string> extra_args{};
    std::map<std::string, std::string> env{};
    bool wait_ready = true;
    /// Words run before the binary, e.g. {"/usr/sbin/ip", "netns", "exec", NAME}; the prefix
    /// must exec the binary in place (same PID), as `ip netns exec` does.
    std::vector<std::string> command_prefix{};
  };
  explicit Agent(const TempDir& dir, Options options);
  Agent(const TempDir& dir) : Agent(dir, Options{}) {}

  const std::string& socket() const { return socket_; }
  int api_port() const { return api_port_; }
  std::string http_base() const { return "http://127.0.0.1:" + std::to_string(api_port_); }
  const std::string& data_dir() const { return data_dir_; }
  Child& process() { return *child_; }
  /// Waits until /health answers on the unix socket (or the process exits).
  bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  /// The gossip port the agent bound (from /api/v1/status), nullopt if it is not answering.
  std::optional<int> gossip_port() const;
  /// SIGTERM and wait; returns the exit code.
  std::optional<int> stop();
  std::vector<std::string> args() const { return args_; }

 private:
  std::string data_dir_, socket_;
  int api_port_ = 0;
  std::vector<std::string> args_;
  std::unique_ptr<Child> child_;
};

}  // namespace constellation::testing
