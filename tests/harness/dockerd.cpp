// The private dockerd harness; see dockerd.hpp. Leftover processes are found by scanning
// /proc for command lines that mention this engine's directory (containerd, shims) and for
// their descendants (container processes), never by process name.
#include "tests/harness/dockerd.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "agent/docker/client.hpp"
#include "agent/docker/test_image.hpp"

namespace constellation::testing {

namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct ProcInfo {
  pid_t ppid = 0;
  std::string cmdline;
};

std::map<pid_t, ProcInfo> processes() {
  std::map<pid_t, ProcInfo> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    pid_t pid = std::atoi(name.c_str());
    auto stat = read_file("/proc/" + name + "/stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    char state = 0;
    ProcInfo info;
    rest >> state >> info.ppid;
    info.cmdline = read_file("/proc/" + name + "/cmdline");
    std::replace(info.cmdline.begin(), info.cmdline.end(), '\0', ' ');
    out[pid] = std::move(info);
  }
  return out;
}

/// Processes mentioning `dir` in their command line, the `roots`, and all their descendants.
std::vector<pid_t> engine_processes(const std::string& dir, std::set<pid_t> roots) {
  auto all = processes();
  std::set<pid_t> found;
  for (const auto& [pid, info] : all) {
    if (pid != ::getpid() && info.cmdline.find(dir) != std::string::npos) found.insert(pid);
  }
  for (pid_t r : roots) {
    if (all.count(r)) found.insert(r);
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [pid, info] : all) {
      if (!found.count(pid) && found.count(info.ppid)) grew = found.insert(pid).second || grew;
    }
  }
  return {found.begin(), found.end()};
}

/// Unmounts anything still mounted below dir (deepest first) so it can be removed.
void unmount_below(const std::string& dir) {
  std::ifstream mounts("/proc/self/mountinfo");
  std::vector<std::string> targets;
  for (std::string line; std::getline(mounts, line);) {
    std::istringstream fields(line);
    std::string id, parent, devno, root, target;
    fields >> id >> parent >> devno >> root >> target;
    if (target.rfind(dir + "/", 0) == 0) targets.push_back(target);
  }
  std::sort(targets.begin(), targets.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& t : targets) ::umount2(t.c_str(), MNT_DETACH);
}
}  // namespace

Result<std::unique_ptr<PrivateDockerd>> PrivateDockerd::start(
    std::chrono::milliseconds ready_timeout) {
  if (::geteuid() != 0) {
    return fail(ErrorCode::unavailable, "the private dockerd needs root (running as uid " +
                                            std::to_string(::geteuid()) + ")");
  }
  char tmpl[] = "/tmp/cdk-XXXXXX";
  if (!::mkdtemp(tmpl)) return fail(ErrorCode::internal, "mkdtemp failed");
  std::unique_ptr<PrivateDockerd> engine(new PrivateDockerd(tmpl));
  std::ofstream(engine->dir_ + "/daemon.json") << "{}\n";
  if (auto s = engine->launch(ready_timeout); !s) return std::unexpected(s.error());
  return engine;
}

Status PrivateDockerd::launch(std::chrono::milliseconds ready_timeout) {
  const std::vector<std::string> args = {
      "dockerd",
      "--host=" + docker_host(),
      "--data-root=" + dir_ + "/data",
      "--exec-root=" + dir_ + "/exec",
      "--pidfile=" + dir_ + "/docker.pid",
      "--config-file=" + dir_ + "/daemon.json",
      "--bridge=none",
      "--iptables=false",
      "--ip6tables=false",
      "--ip-masq=false",
      "--shutdown-timeout=2",
  };
  const std::string log_path = dir_ + "/dockerd.log";
  pid_t pid = ::fork();
  if (pid < 0) return fail(ErrorCode::internal, "fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test process
    int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp("dockerd", argv.data());
    ::_exit(127);
  }
  pid_ = pid;

  docker::DockerClient client(
      docker::DockerHost{.unix_socket = socket_path(), .tcp_host = {}, .tcp_port = 0},
      docker::Timeouts{.connect = 1s, .request = 5s, .build = 5s});
  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  std::string last_error;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) {
      return fail(ErrorCode::unavailable,
                  "dockerd exited during start-up (is docker.io "
                  "installed?); log:\n" +
                      log_tail());
    }
    auto ping = client.ping();
    if (ping) return {};
    last_error = ping.error().message;
    std::this_thread::sleep_for(100ms);
  }
  stop();
  return fail(ErrorCode::timeout,
              "dockerd did not answer /_ping in time (" + last_error + "); log:\n" + log_tail());
}

bool PrivateDockerd::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

bool PrivateDockerd::reap(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

void PrivateDockerd::kill_leftovers() {
  for (int round = 0; round < 3; ++round) {
    auto pids = engine_processes(dir_, {});
    if (pids.empty()) return;
    for (pid_t p : pids) ::kill(p, SIGKILL);
    std::this_thread::sleep_for(100ms);
  }
}

void PrivateDockerd::stop() {
  if (running()) {
    ::kill(pid_, SIGTERM);
    if (!reap(20s)) {
      ::kill(pid_, SIGKILL);
      reap(5s);
    }
  }
  kill_leftovers();
}

void PrivateDockerd::kill() {
  if (!running()) return;
  // dockerd's own containerd goes down with it, as on a host where the service crashes.
  auto family = engine_processes(dir_, {pid_});
  auto all = processes();
  std::vector<pid_t> killed;
  for (pid_t p : family) {
    if (p == pid_ || all[p].ppid == pid_) {
      ::kill(p, SIGKILL);
      if (p != pid_) killed.push_back(p);
    }
  }
  reap(5s);
  // containerd is reaped by init, not by us; a restarted dockerd that still sees its pid
  // (even as a zombie) waits for it forever, so wait until it is really gone.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  for (pid_t p : killed) {
    while (fs::exists("/proc/" + std::to_string(p)) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
  }
}

Status PrivateDockerd::restart(std::chrono::milliseconds ready_timeout) {
  if (running()) stop();
  return launch(ready_timeout);
}

Status PrivateDockerd::import_test_image() {
  docker::DockerClient client(
      docker::DockerHost{.unix_socket = socket_path(), .tcp_host = {}, .tcp_port = 0});
  return docker::import_busybox_image(client, "/bin/busybox", kTestImageRepo, kTestImageTag);
}

std::string PrivateDockerd::log_tail(std::size_t bytes) const {
  auto log = read_file(dir_ + "/dockerd.log");
  return log.size() > bytes ? log.substr(log.size() - bytes) : log;
}

namespace {
// Deletes a network interface with ip(8); missing interfaces are fine.
void delete_link(const std::string& name) {
  if (::if_nametoindex(name.c_str()) == 0) return;
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    ::execlp("ip", "ip", "link", "delete", name.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (pid > 0) ::waitpid(pid, nullptr, 0);
}
}  // namespace

PrivateDockerd::~PrivateDockerd() {
  // A stopped dockerd leaves its bridges (br-<network id>) on the host with their subnets
  // routed; a later run reusing a subnet would then route to a dead bridge. Note them first.
  std::vector<std::string> bridges;
  if (running()) {
    docker::DockerClient client(
        docker::DockerHost{.unix_socket = socket_path(), .tcp_host = {}, .tcp_port = 0},
        docker::Timeouts{.connect = 1s, .request = 5s, .build = 5s});
    if (auto networks = client.list_networks(); networks)
      for (const auto& n : *networks)
        if (n.driver == "bridge" && n.id.size() >= 12)
          bridges.push_back("br-" + n.id.substr(0, 12));
  }
  stop();
  for (const auto& bridge : bridges) delete_link(bridge);
  unmount_below(dir_);
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

}  // namespace constellation::testing
