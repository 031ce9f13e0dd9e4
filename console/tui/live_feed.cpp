// LiveFeed: the reader thread, its backoff and the line framing over the pipe.
#include "console/tui/live_feed.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace constellation::console::tui {

struct LiveFeed::Shared {
  std::atomic<bool> stopped{false};
};

namespace {

constexpr std::int64_t kFirstRetryMs = 250;
constexpr std::int64_t kMaxRetryMs = 5000;

/// Writes one message as a line; false when the UI end is gone.
bool send_line(int fd, const nlohmann::json& message) {
  std::string line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void reader(int fd, std::shared_ptr<LiveFeed::Shared> shared, ConnectFn connect) {
  int attempt = 0;
  std::int64_t retry_ms = kFirstRetryMs;
  while (!shared->stopped) {
    std::string error;
    auto client = connect();
    if (client) {
      auto stream = (*client)->subscribe();
      if (stream) {
        attempt = 0;
        retry_ms = kFirstRetryMs;
        for (;;) {
          auto message = (*stream)->next();
          if (shared->stopped) break;
          if (!message) {
            error = message.error().message;
            break;
          }
          if (!send_line(fd, *message)) return;
        }
      } else {
        error = stream.error().message;
      }
    } else {
      error = client.error().message;
    }
    if (shared->stopped) break;
    ++attempt;
    if (!send_line(
            fd,
            {{"type", "down"}, {"error", error}, {"attempt", attempt}, {"retry_in_ms", retry_ms}}))
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(retry_ms));
    retry_ms = std::min(retry_ms * 2, kMaxRetryMs);
  }
  ::close(fd);
}

}  // namespace

Result<std::unique_ptr<LiveFeed>> LiveFeed::start(ConnectFn connect) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return fail(ErrorCode::internal, "console: cannot create a pipe for the event stream");
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  auto shared = std::make_shared<Shared>();
  std::thread(reader, fds[1], shared, std::move(connect)).detach();
  return std::unique_ptr<LiveFeed>(new LiveFeed(fds[0], std::move(shared)));
}

LiveFeed::LiveFeed(int read_fd, std::shared_ptr<Shared> shared)
    : read_fd_(read_fd), shared_(std::move(shared)) {}

LiveFeed::~LiveFeed() {
  // The read end stays open so the thread never meets a broken pipe; it ends at its next
  // message or retry, and the process's exit closes the rest.
  shared_->stopped = true;
}

std::vector<nlohmann::json> LiveFeed::drain() {
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(read_fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    partial_.append(buffer, static_cast<std::size_t>(n));
  }
  std::vector<nlohmann::json> messages;
  std::size_t start = 0;
  for (std::size_t end; (end = partial_.find('\n', start)) != std::string::npos; start = end + 1) {
    auto message = nlohmann::json::parse(partial_.substr(start, end - start), nullptr, false);
    if (message.is_object()) messages.push_back(std::move(message));
  }
  partial_.erase(0, start);
  return messages;
}

}  // namespace constellation::console::tui
