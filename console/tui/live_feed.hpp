// The /ws subscription for the TUI, kept off the UI loop: a reader thread owns the blocking
// EventStream and forwards every message as one JSON line through a pipe, which the loop
// poll()s beside stdin. When the stream ends the thread reports {"type":"down",...} and
// reconnects with exponential backoff (250 ms doubling to 5 s). Nothing is shared but the
// pipe and an atomic stop flag: messages, not locks (DESIGN §2).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "console/client/api_client.hpp"

namespace constellation::console::tui {

/// Makes a fresh client of the agent; called on the reader thread for each (re)connect.
using ConnectFn = std::function<Result<std::unique_ptr<ApiClient>>()>;

/// Owns the pipe's read end; the reader thread is detached (it may be blocked in a read when
/// the TUI quits) and stops at its next message or retry once stopped. Not thread-safe itself:
/// use it from the UI loop only.
class LiveFeed {
 public:
  /// Starts the reader thread. Errors: internal when the pipe cannot be made.
  static Result<std::unique_ptr<LiveFeed>> start(ConnectFn connect);
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  /// The descriptor to poll for input.
  int fd() const { return read_fd_; }
  /// Reads what is available and returns the complete messages, oldest first. Messages the
  /// thread made itself: {"type":"down","error":TEXT,"attempt":N,"retry_in_ms":MS}.
  std::vector<nlohmann::json> drain();

  /// What the UI and the reader thread share (a stop flag); defined in live_feed.cpp.
  struct Shared;

 private:
  LiveFeed(int read_fd, std::shared_ptr<Shared> shared);

  int read_fd_ = -1;
  std::shared_ptr<Shared> shared_;
  std::string partial_;
};

}  // namespace constellation::console::tui
