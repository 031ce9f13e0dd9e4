// /ws as a console sees it: hello and snapshot first, then journaled events in order with
// consecutive sequence numbers, ping/pong; and `events --follow` streaming NDJSON.
#include <unistd.h>
#include <csignal>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/harness/process.hpp"
#include "tests/harness/ws.hpp"

using namespace constellation::testing;
using nlohmann::json;

TEST(WebSocket, HelloThenSnapshotThenOrderedEvents) {
  TempDir dir;
  Agent agent(dir, {.node = "alpha"});
  WsClient ws(UnixTarget{agent.socket()});
  auto hello = ws.next();
  ASSERT_TRUE(hello);
  EXPECT_EQ((*hello)["type"], "hello");
  EXPECT_EQ((*hello)["versions"]["api"], "v1");
  auto snapshot = ws.next();
  ASSERT_TRUE(snapshot);
  ASSERT_EQ((*snapshot)["type"], "snapshot");
  EXPECT_EQ((*snapshot)["status"]["node"], "alpha");
  std::int64_t seq = (*snapshot)["seq"];
  for (int i = 0; i < 3; ++i) {
    auto r = run_cli({"note", "--agent", agent.socket(), "number " + std::to_string(i)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  for (int i = 0; i < 3; ++i) {
    std::optional<json> message;
    do message = ws.next();
    while (message && (*message)["type"] == "event" && (*message)["event"]["kind"] != "note" &&
           ++seq);
    ASSERT_TRUE(message);
    EXPECT_EQ((*message)["type"], "event");
    EXPECT_EQ((*message)["seq"], ++seq);
    EXPECT_EQ((*message)["event"]["detail"]["message"], "number " + std::to_string(i));
  }
}

TEST(WebSocket, AnswersApplicationPing) {
  TempDir dir;
  Agent agent(dir);
  WsClient ws(UnixTarget{agent.socket()});
  ws.next();
  ws.next();
  ws.send({{"type", "ping"}, {"id", 42}});
  std::optional<json> message;
  do message = ws.next();
  while (message && (*message)["type"] != "pong");
  ASSERT_TRUE(message);
  EXPECT_EQ((*message)["id"], 42);
}

TEST(EventsFollow, StreamsNewEventsAsNdjson) {
  TempDir dir;
  Agent agent(dir);
  std::string out = dir.file("follow.out");
  Child follow({binary_path(), "events", "--follow", "--agent", agent.socket(), "-o", "json"}, {},
               out);
  usleep(500'000);
  ASSERT_EQ(run_cli({"note", "--agent", agent.socket(), "followed note"}).exit_code, 0);
  bool seen = false;
  for (int i = 0; i < 100 && !seen; ++i) {
    usleep(50'000);
    std::istringstream lines(follow.log());
    for (std::string line; std::getline(lines, line);) {
      auto event = json::parse(line, nullptr, false);
      if (event.is_object() && event["kind"] == "note" &&
          event["detail"]["message"] == "followed note")
        seen = true;
    }
  }
  EXPECT_TRUE(seen) << follow.log();
  follow.signal(SIGTERM);
  follow.wait(std::chrono::seconds(5));
}
