// `constellation demo`: starts N agents (default 3) of this very binary on loopback, each with
// its own data directory, unix socket and ephemeral API port under one temporary directory,
// waits until each answers /health, then opens the TUI on a terminal (else prints the
// cluster's status until interrupted). Every agent is stopped by PID on exit (SIGTERM, then
// SIGKILL after a deadline); agents also get PR_SET_PDEATHSIG so a killed demo never leaves
// orphans behind.
#include "console/cli/demo.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "console/client/curl_client.hpp"
#include "console/render/format.hpp"
#include "console/tui/app.hpp"
#include "shared/api_paths.hpp"
#include "shared/error.hpp"

namespace constellation::console {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kMaxNodes = 9;
constexpr auto kReadyDeadline = 20s;
constexpr auto kStopDeadline = 10s;
constexpr auto kRefreshPeriod = 2s;

struct DemoAgent {
  std::string node;
  fs::path dir;
  pid_t pid = -1;
  std::string address() const { return "unix:" + (dir / "agent.sock").string(); }
};

/// Starts one agent as a child process with its output in DIR/agent.log.
Result<pid_t> spawn_agent(const DemoAgent& agent, const fs::path& config_file,
                          const std::vector<std::string>& gossip_args) {
  std::vector<std::string> args = {"constellation",  "agent",
                                   "--node",         agent.node,
                                   "--config",       config_file.string(),
                                   "--data-dir",     agent.dir.string(),
                                   "--socket",       (agent.dir / "agent.sock").string(),
                                   "--secrets-path", (agent.dir / "secrets").string(),
                                   "--api",          "127.0.0.1:0"};
  // Demo agents share one host: several monitors of one engine would repair twice.
  args.push_back("--docker=false");
  args.insert(args.end(), gossip_args.begin(), gossip_args.end());
  const auto log_path = agent.dir / "agent.log";
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0)
    return fail(ErrorCode::internal, std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (log >= 0) {
      ::dup2(log, STDOUT_FILENO);
      ::dup2(log, STDERR_FILENO);
    }
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv("/proc/self/exe", argv.data());
    ::_exit(127);
  }
  return pid;
}

/// A loopback UDP port that was free a moment ago: the first agent's gossip port, which the
/// others join (the agent binds TCP on the same port).
Result<int> free_gossip_port() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(ErrorCode::internal, std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0)
    port = ntohs(address.sin_port);
  ::close(fd);
  if (port <= 0) return fail(ErrorCode::unavailable, "no free loopback port for gossip");
  return port;
}

std::string log_tail(const fs::path& path, std::size_t max_lines = 5) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string tail;
  for (std::size_t i = lines.size() > max_lines ? lines.size() - max_lines : 0; i < lines.size();
       ++i)
    tail += "    " + lines[i] + "\n";
  return tail;
}

/// Waits until the agent answers /health, or its process exits, or the deadline passes.
Status wait_ready(const DemoAgent& agent) {
  const auto deadline = std::chrono::steady_clock::now() + kReadyDeadline;
  while (std::chrono::steady_clock::now() < deadline) {
    int wstatus = 0;
    if (::waitpid(agent.pid, &wstatus, WNOHANG) == agent.pid)
      return fail(ErrorCode::unavailable, "agent " + agent.node +
                                              " exited during start-up; its log:\n" +
                                              log_tail(agent.dir / "agent.log"));
    if (auto client = make_curl_client(agent.address(), std::nullopt); client) {
      if (auto health = (*client)->send("GET", api_paths::health, nullptr);
          health && health->status == 200)
        return {};
    }
    std::this_thread::sleep_for(100ms);
  }
  return fail(ErrorCode::timeout, "agent " + agent.node + " did not answer /health within " +
                                      std::to_string(kReadyDeadline.count()) + " s; its log:\n" +
                                      log_tail(agent.dir / "agent.log"));
}

/// Stops every started agent: SIGTERM, wait, SIGKILL whatever is left after the deadline.
void stop_all(std::vector<DemoAgent>& agents) {
  for (auto& agent : agents)
    if (agent.pid > 0) ::kill(agent.pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + kStopDeadline;
  for (auto& agent : agents) {
    while (agent.pid > 0) {
      int wstatus = 0;
      if (::waitpid(agent.pid, &wstatus, WNOHANG) == agent.pid) {
        agent.pid = -1;
      } else if (std::chrono::steady_clock::now() > deadline) {
        ::kill(agent.pid, SIGKILL);
        ::waitpid(agent.pid, &wstatus, 0);
        agent.pid = -1;
      } else {
        std::this_thread::sleep_for(50ms);
      }
    }
  }
}

std::string status_table(const std::vector<DemoAgent>& agents) {
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof line, "%-8s %-8s %-17s %-10s %-8s %-8s %s\n", "NODE", "PID", "API",
                "UPTIME", "EVENTS", "MEMBERS", "HEALTH");
  out << line;
  for (const auto& agent : agents) {
    std::string api = "-", uptime = "-", events = "-", members = "-", health = "unreachable";
    if (auto client = make_curl_client(agent.address(), std::nullopt); client) {
      if (auto status = (*client)->get(api_paths::status); status) {
        api = status->value("/listen/api"_json_pointer, std::string("-"));
        uptime = std::to_string(status->value("uptime_ms", 0) / 1000) + "s";
        events = std::to_string(status->value("/journal/events"_json_pointer, 0));
        if (status->contains("gossip") && (*status)["gossip"].is_object())
          members = std::to_string((*status)["gossip"].value("alive", 0)) + "/" +
                    std::to_string((*status)["gossip"].value("members", 0));
      }
      if (auto reply = (*client)->send("GET", api_paths::health, nullptr); reply)
        health = reply->body.value("status", std::string("?"));
    }
    std::snprintf(line, sizeof line, "%-8s %-8d %-17s %-10s %-8s %-8s %s\n", agent.node.c_str(),
                  static_cast<int>(agent.pid), api.c_str(), uptime.c_str(), events.c_str(),
                  members.c_str(), health.c_str());
    out << line;
  }
  return out.str();
}

/// Waits up to `period` for SIGINT/SIGTERM (blocked in this thread); true when one arrived.
bool wait_for_signal(const sigset_t& signals, std::chrono::seconds period) {
  timespec timeout{.tv_sec = period.count(), .tv_nsec = 0};
  return ::sigtimedwait(&signals, nullptr, &timeout) > 0;
}

Result<int> parse_node_count(const std::vector<std::string>& args) {
  int nodes = 3;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string value;
    if (args[i] == "--nodes" && i + 1 < args.size()) {
      value = args[++i];
    } else if (args[i].starts_with("--nodes=")) {
      value = args[i].substr(8);
    } else {
      return fail(ErrorCode::invalid_argument, "demo: unexpected argument '" + args[i] +
                                                   "' (usage: constellation demo [--nodes N])");
    }
    char* end = nullptr;
    const long parsed = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || parsed < 1 || parsed > kMaxNodes)
      return fail(ErrorCode::invalid_argument, "demo: --nodes wants a number from 1 to " +
                                                   std::to_string(kMaxNodes) + ", got '" + value +
                                                   "'");
    nodes = static_cast<int>(parsed);
  }
  return nodes;
}

}  // namespace

int run_demo(const std::vector<std::string>& args) {
  auto nodes = parse_node_count(args);
  if (!nodes) {
    std::cerr << nodes.error().message << "\n";
    return exit_code(nodes.error().code);
  }
  // Block the stop signals before any child exists, so none is lost between start and wait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  char pattern[] = "/tmp/constellation-demo-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    std::cerr << "demo: cannot create a temporary directory: " << std::strerror(errno) << "\n";
    return exit_codes::failed;
  }
  const fs::path root = pattern;
  const auto config_file = root / "demo.yaml";
  std::ofstream(config_file) << "# constellation demo: embedded defaults, loopback only\n"
                                "log_level: info\n";

  std::vector<DemoAgent> agents;
  int result = exit_codes::ok;
  // One cluster: the first agent gossips on a known port, the others join it.
  auto seed_port = free_gossip_port();
  if (!seed_port) {
    std::cerr << "demo: " << seed_port.error().message << "\n";
    result = exit_codes::failed;
  }
  const std::string seed = "127.0.0.1:" + std::to_string(seed_port.value_or(0));
  for (int i = 1; i <= *nodes && result == exit_codes::ok; ++i) {
    DemoAgent agent{.node = "demo-" + std::to_string(i),
                    .dir = root / ("demo-" + std::to_string(i))};
    fs::create_directories(agent.dir);
    std::vector<std::string> gossip_args =
        i == 1 ? std::vector<std::string>{"--gossip", seed}
               : std::vector<std::string>{"--gossip", "127.0.0.1:0", "--join", seed};
    auto pid = spawn_agent(agent, config_file, gossip_args);
    if (!pid) {
      std::cerr << "demo: " << pid.error().message << "\n";
      result = exit_codes::failed;
      break;
    }
    agent.pid = *pid;
    agents.push_back(agent);
  }
  for (auto& agent : agents) {
    if (result != exit_codes::ok) break;
    if (auto ready = wait_ready(agent); !ready) {
      std::cerr << "demo: " << ready.error().message;
      if (ready.error().code == ErrorCode::unavailable) agent.pid = -1;  // already reaped
      result = exit_codes::failed;
    }
  }

  if (result == exit_codes::ok && ::isatty(STDOUT_FILENO) != 0 && ::isatty(STDIN_FILENO) != 0) {
    // On a terminal the demo is the TUI on the first agent; quitting it stops the cluster.
    const std::string address = agents.front().address();
    result = tui::run_tui({.connect = [address] { return make_curl_client(address, std::nullopt); },
                           .agent = address},
                          std::cerr);
    std::cout << "stopping " << agents.size() << " agents...\n";
  } else if (result == exit_codes::ok) {
    const bool tty = ::isatty(STDOUT_FILENO) != 0;
    std::cout << "Constellation demo: " << agents.size() << " agents on loopback, data in "
              << root.string() << "\n"
              << "Talk to one:  constellation --agent " << agents.front().address() << " status\n"
              << "Stop with Ctrl-C; every agent started here is stopped.\n\n"
              << status_table(agents) << std::flush;
    while (!wait_for_signal(signals, tty ? kRefreshPeriod : std::chrono::seconds(3600))) {
      if (tty)
        std::cout << "\033[" << agents.size() + 1 << "A" << status_table(agents) << std::flush;
    }
    std::cout << "\nstopping " << agents.size() << " agents...\n";
  }
  stop_all(agents);
  std::error_code ignored;
  fs::remove_all(root, ignored);
  if (result == exit_codes::ok) std::cout << "demo stopped; removed " << root.string() << "\n";
  return result;
}

}  // namespace constellation::console
