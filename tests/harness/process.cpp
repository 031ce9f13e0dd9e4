// Process harness implementation (fork/exec, pipes, waitpid with deadlines).
#include "tests/harness/process.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/harness/http.hpp"

namespace constellation::testing {
namespace {

std::vector<char*> c_argv(std::vector<std::string>& storage) {
  std::vector<char*> out;
  for (auto& s : storage) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

[[noreturn]] void exec_child(std::vector<std::string> argv,
                             const std::map<std::string, std::string>& env) {
  for (const auto& [key, value] : env) ::setenv(key.c_str(), value.c_str(), 1);
  auto args = c_argv(argv);
  ::execv(args[0], args.data());
  ::_exit(127);
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string binary_path() {
  return CONSTELLATION_BINARY;
}

TempDir::TempDir() {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "constellation-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

CommandResult run_cli(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env,
                      std::chrono::milliseconds deadline) {
  std::vector<std::string> argv{binary_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, env, deadline);
}

CommandResult run_command(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          std::chrono::milliseconds deadline) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    exec_child(argv, env);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  CommandResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  auto until = std::chrono::steady_clock::now() + deadline;
  int open_fds = 2;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left.count())) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
      }
    }
  }
  for (auto& fd : fds)
    if (fd.fd >= 0) ::close(fd.fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = std::chrono::steady_clock::now() >= until ? -1 : decode_status(status);
  return result;
}

Child::Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             const std::string& log_path)
    : log_path_(log_path) {
  pid_ = ::fork();
  if (pid_ == 0) {
    int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    exec_child(argv, env);
  }
}

Child::~Child() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

bool Child::running() {
  if (status_) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) status_ = decode_status(status);
  return !status_;
}

void Child::signal(int signo) {
  if (running()) ::kill(pid_, signo);
}

std::optional<int> Child::wait(std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

std::string Child::log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Agent::Agent(const TempDir& dir, Options options) {
  data_dir_ = dir.file(options.node);
  std::filesystem::create_directories(data_dir_);
  socket_ = data_dir_ + "/agent.sock";
  api_port_ = free_port();
  args_ = {binary_path(),    "agent",
           "--node",         options.node,
           "--data-dir",     data_dir_,
           "--socket",       socket_,
           "--api",          "127.0.0.1:" + std::to_string(api_port_),
           "--secrets-path", data_dir_ + "/secrets"};
  // Never read the machine's /etc/constellation/config.yaml: use an empty file unless the
  // test names its own.
  bool has_config = false, has_gossip = false, has_docker = false;
  for (const auto& arg : options.extra_args) {
    has_config |= arg == "--config";
    has_gossip |= arg == "--gossip" || arg.starts_with("--gossip=");
    has_docker |= arg.starts_with("--docker");
  }
  // Never watch (or repair!) containers of the machine's own engine: a test that wants Docker
  // names its private engine with --docker-host.
  if (!has_docker) args_.insert(args_.end(), {"--docker=false"});
  // Gossip on a free loopback port, so parallel test agents never collide on 7946.
  if (!has_gossip) args_.insert(args_.end(), {"--gossip", "127.0.0.1:0"});
  if (!has_config) {
    std::ofstream(data_dir_ + "/empty-config.yaml") << "{}\n";
    args_.insert(args_.end(), {"--config", data_dir_ + "/empty-config.yaml"});
  }
  args_.insert(args_.end(), options.extra_args.begin(), options.extra_args.end());
  args_.insert(args_.begin(), options.command_prefix.begin(), options.command_prefix.end());
  child_ = std::make_unique<Child>(args_, options.env, data_dir_ + "/agent.log");
  if (options.wait_ready) wait_ready();
}

bool Agent::wait_ready(std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (!child_->running()) return false;
    auto response = http_request(UnixTarget{socket_}, "GET", "/health");
    if (response && response->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::optional<int> Agent::gossip_port() const {
  auto response = http_request(UnixTarget{socket_}, "GET", "/api/v1/status");
  if (!response || response->status != 200) return std::nullopt;
  auto status = nlohmann::json::parse(response->body, nullptr, false);
  if (!status.is_object() || !status.contains("gossip") || !status["gossip"].is_object())
    return std::nullopt;
  auto address = status["gossip"].value("address", std::string());
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  int port = std::atoi(address.c_str() + colon + 1);
  if (port <= 0) return std::nullopt;
  return port;
}

std::optional<int> Agent::stop() {
  child_->signal(SIGTERM);
  return child_->wait(std::chrono::seconds(15));
}

}  // namespace constellation::testing
