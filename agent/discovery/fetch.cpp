// LocalAPI and CLI fetchers for the Tailscale status document; see fetch.hpp. The LocalAPI
// refuses any Host but local-tailscaled.sock (contract §4.2), so the URL names that host and
// libcurl derives the header from it.
#include "agent/discovery/fetch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

#include <curl/curl.h>

extern char** environ;

namespace constellation::discovery {
namespace {
using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxDocument = 16u << 20;  // a tailnet of thousands is a few MiB
constexpr std::size_t kMaxShownBody = 200;
constexpr long kMaxConnectMs = 2000;

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() + size * count > kMaxDocument) return 0;
  body->append(data, size * count);
  return size * count;
}

std::string first_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (auto nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
  if (text.size() > kMaxShownBody) text = text.substr(0, kMaxShownBody) + "...";
  return text;
}

bool socket_exists(const std::string& path) {
  struct stat st {};
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// Owns both ends of a pipe until they are handed over.
struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
};
}  // namespace

Result<std::string> fetch_localapi_status(const std::string& socket_path,
                                          std::chrono::milliseconds timeout) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl_easy_init(), curl_easy_cleanup);
  if (!handle) return fail(ErrorCode::internal, "libcurl could not create a handle");
  CURL* h = handle.get();
  std::string body;
  char errbuf[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h, CURLOPT_URL, "http://local-tailscaled.sock/localapi/v0/status");
  curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, socket_path.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   std::min(kMaxConnectMs, static_cast<long>(timeout.count())));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  auto code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    std::string why = errbuf[0] ? errbuf : curl_easy_strerror(code);
    auto kind = code == CURLE_OPERATION_TIMEDOUT ? ErrorCode::timeout : ErrorCode::unavailable;
    return fail(kind, "tailscaled LocalAPI at " + socket_path + ": " + why +
                          " (is tailscaled running? set tailscale_socket or tailscale_command)");
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200)
    return fail(ErrorCode::unavailable, "tailscaled LocalAPI at " + socket_path + " answered " +
                                            std::to_string(status) + ": " + first_line(body));
  return body;
}

Result<std::string> run_status_command(const std::string& command,
                                       std::chrono::milliseconds timeout) {
  auto words = split_words(command.empty() ? "tailscale" : command);
  if (words.empty()) return fail(ErrorCode::bad_config, "tailscale_command is blank");
  words.push_back("status");
  words.push_back("--json");
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  const std::string shown = command.empty() ? "tailscale" : command;

  Pipe out, err;
  if (::pipe2(out.fd, O_CLOEXEC) != 0 || ::pipe2(err.fd, O_CLOEXEC) != 0)
    return fail(ErrorCode::internal, "cannot create a pipe for '" + shown + "'");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  pid_t pid = -1;
  int spawned = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    return fail(ErrorCode::unavailable, "cannot run '" + shown + "': " + std::strerror(spawned) +
                                            " (install tailscale or set tailscale_command)");
  ::close(out.fd[1]);
  ::close(err.fd[1]);
  out.fd[1] = err.fd[1] = -1;

  std::string stdout_text, stderr_text;
  const auto deadline = Clock::now() + timeout;
  bool timed_out = false, too_big = false;
  std::array<pollfd, 2> fds{pollfd{out.fd[0], POLLIN, 0}, pollfd{err.fd[0], POLLIN, 0}};
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char chunk[8192];
      ssize_t n = ::read(fds[i].fd, chunk, sizeof chunk);
      if (n <= 0) {
        fds[i].fd = -1;
        continue;
      }
      auto& sink = i == 0 ? stdout_text : stderr_text;
      sink.append(chunk, static_cast<std::size_t>(n));
      if (sink.size() > kMaxDocument) too_big = true;
    }
    if (too_big) break;
  }
  if (timed_out || too_big) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out)
    return fail(ErrorCode::timeout, "'" + shown + " status --json' did not finish within " +
                                        std::to_string(timeout.count()) + " ms");
  if (too_big)
    return fail(ErrorCode::too_large, "'" + shown + " status --json' wrote more than 16 MiB");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string how = WIFEXITED(status)
                          ? "exited with " + std::to_string(WEXITSTATUS(status))
                          : "was killed by signal " + std::to_string(WTERMSIG(status));
    std::string said = first_line(stderr_text);
    return fail(ErrorCode::unavailable,
                "'" + shown + " status --json' " + how + (said.empty() ? "" : ": " + said));
  }
  return stdout_text;
}

Result<std::string> fetch_status_document(const FetchOptions& options, std::string* source) {
  if (options.command.empty() && socket_exists(options.socket_path)) {
    if (source) *source = "socket " + options.socket_path;
    return fetch_localapi_status(options.socket_path, options.timeout);
  }
  if (source) *source = "command " + (options.command.empty() ? "tailscale" : options.command);
  auto text = run_status_command(options.command, options.timeout);
  if (!text && options.command.empty() && !options.socket_path.empty())
    return fail(text.error().code, "no tailscaled socket at " + options.socket_path +
                                       ", and the fallback " + text.error().message);
  return text;
}

}  // namespace constellation::discovery
