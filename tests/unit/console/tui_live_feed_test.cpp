// LiveFeed: the /ws reader thread forwards the agent's messages in order, reports a dropped or
// refused connection as a "down" message and reconnects with a growing backoff. Driven by the
// scripted client (fake_client.hpp); the agent fake is shared with the detached thread, which
// may outlive the test, so it is owned by the connect function.
#include <poll.h>

#include <chrono>

#include <gtest/gtest.h>

#include "console/tui/live_feed.hpp"
#include "tests/unit/console/fake_client.hpp"

namespace constellation::console::tui {
namespace {

using console::testing::FakeAgent;
using console::testing::FakeClient;

ConnectFn connect_to(std::shared_ptr<FakeAgent> agent) {
  return [agent]() -> Result<std::unique_ptr<ApiClient>> {
    return std::make_unique<FakeClient>(*agent, "unix:/run/test.sock");
  };
}

/// Reads messages until `count` arrived or 20 s passed (a bound, not a timing assertion).
std::vector<nlohmann::json> collect(LiveFeed& feed, std::size_t count) {
  std::vector<nlohmann::json> messages;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (messages.size() < count && std::chrono::steady_clock::now() < until) {
    pollfd fd{feed.fd(), POLLIN, 0};
    if (::poll(&fd, 1, 100) > 0)
      for (auto& message : feed.drain()) messages.push_back(std::move(message));
  }
  return messages;
}

TEST(TuiLiveFeed, ForwardsTheStreamInOrderThenReportsTheDropAndReconnects) {
  auto agent = std::make_shared<FakeAgent>();
  agent->stream = {{{"type", "hello"}, {"node", "home-1"}},
                   {{"type", "snapshot"}, {"seq", 7}},
                   {{"type", "event"}, {"seq", 8}, {"event", {{"id", 1}, {"kind", "note"}}}}};
  auto feed = LiveFeed::start(connect_to(agent));
  ASSERT_TRUE(feed) << feed.error().message;
  auto messages = collect(**feed, 5);
  ASSERT_GE(messages.size(), 5u);
  EXPECT_EQ(messages[0]["type"], "hello");
  EXPECT_EQ(messages[1]["seq"], 7);
  EXPECT_EQ(messages[2]["event"]["kind"], "note");
  EXPECT_EQ(messages[3]["type"], "down");
  EXPECT_EQ(messages[3]["attempt"], 1);
  EXPECT_NE(messages[3]["error"].get<std::string>().find("ended"), std::string::npos);
  EXPECT_EQ(messages[4]["type"], "hello") << "reconnected after the backoff";
}

TEST(TuiLiveFeed, AnUnreachableAgentIsRetriedWithADoublingBackoff) {
  auto agent = std::make_shared<FakeAgent>();
  agent->unreachable = true;
  auto feed = LiveFeed::start(connect_to(agent));
  ASSERT_TRUE(feed);
  auto messages = collect(**feed, 3);
  ASSERT_EQ(messages.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(messages[static_cast<std::size_t>(i)]["type"], "down");
    EXPECT_EQ(messages[static_cast<std::size_t>(i)]["attempt"], i + 1);
    EXPECT_EQ(messages[static_cast<std::size_t>(i)]["retry_in_ms"], 250 << i);
  }
  EXPECT_NE(messages[0]["error"].get<std::string>().find("connection refused"), std::string::npos)
      << messages[0].dump();
}

}  // namespace
}  // namespace constellation::console::tui
