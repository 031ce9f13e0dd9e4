// The TUI's state machine between the /ws feed and the screen: the model and the view state,
// advanced by feed messages (hello, snapshot, event, down) and by Enter's detail fetches. The
// only REST calls are a snapshot per (re)connect or resync and single GETs that an event or
// Enter asks for; nothing is polled. Apart from the terminal so it is unit-tested with the
// scripted client. Owned by the UI loop; not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "console/tui/keymap.hpp"
#include "console/tui/live_feed.hpp"
#include "console/tui/model.hpp"
#include "console/tui/view.hpp"

namespace constellation::console::tui {

/// Journal events fetched with each snapshot.
inline constexpr int kSnapshotEvents = 1000;

class Session {
 public:
  /// `connect` makes the REST client (again after a failure); `clock` gives wall-clock ms.
  explicit Session(ConnectFn connect, std::function<std::int64_t()> clock = now_ms)
      : connect_(std::move(connect)), clock_(std::move(clock)) {}

  ClusterModel model;
  ViewState view;

  /// Applies one message from the LiveFeed.
  void on_message(const nlohmann::json& message);
  /// Once per loop pass: retries a snapshot whose GETs failed while the stream was up.
  void tick();
  /// Enter on a node or service: GET its show endpoint into a detail view (or a footer note).
  void fetch_detail(const Reaction& reaction);

 private:
  Result<nlohmann::json> get(const std::string& path);
  void resync(const nlohmann::json& snapshot);
  void refresh(const Refresh& refresh);

  ConnectFn connect_;
  std::function<std::int64_t()> clock_;
  std::unique_ptr<ApiClient> client_;
  std::optional<nlohmann::json> pending_snapshot_;
};

}  // namespace constellation::console::tui
