// The socket-free WebSocket hub: hello and snapshot first, events numbered by one global
// sequence, overflow turning into resync + snapshot, ping/pong.
#include <gtest/gtest.h>

#include "agent/api/ws_hub.hpp"
#include "shared/version.hpp"
#include "tests/unit/api/fake_agent.hpp"

namespace constellation::api {
namespace {

using testing::make_event;

nlohmann::json pop_json(WsHub& hub, WsHub::ClientId id) {
  auto text = hub.pop(id);
  if (!text) return nullptr;
  return nlohmann::json::parse(*text);
}

Event stored(std::int64_t id, std::string kind = "note") {
  Event event = make_event(std::move(kind));
  event.id = id;
  return event;
}

WsHub make_hub(std::size_t queue_limit = 16) {
  return WsHub({.queue_limit = queue_limit, .recent_events = 3, .node = "alpha"}, [] {
    return nlohmann::json{{"node", "alpha"}};
  });
}

TEST(WsHub, NewClientGetsHelloThenSnapshotAtCurrentSeq) {
  auto hub = make_hub();
  hub.broadcast(stored(1));
  hub.broadcast(stored(2));
  int wakes = 0;
  auto id = hub.connect([&] { ++wakes; });
  EXPECT_EQ(wakes, 2);
  auto hello = pop_json(hub, id);
  EXPECT_EQ(hello["type"], "hello");
  EXPECT_EQ(hello["versions"]["agent"], std::string(kVersion));
  EXPECT_EQ(hello["versions"]["api"], "v1");
  EXPECT_EQ(hello["versions"]["ws"], kWsProtocolVersion);
  EXPECT_EQ(hello["node"], "alpha");
  auto snapshot = pop_json(hub, id);
  EXPECT_EQ(snapshot["type"], "snapshot");
  EXPECT_EQ(snapshot["seq"], 2);
  EXPECT_EQ(snapshot["status"]["node"], "alpha");
  ASSERT_EQ(snapshot["events"].size(), 2u);
  EXPECT_EQ(snapshot["events"][0]["id"], 1);
  EXPECT_FALSE(hub.pop(id));
}

TEST(WsHub, EventsFollowTheSnapshotWithConsecutiveSeq) {
  auto hub = make_hub();
  auto a = hub.connect({});
  hub.broadcast(stored(1));
  auto b = hub.connect({});
  hub.broadcast(stored(2));
  hub.broadcast(stored(3));
  for (auto id : {a, b}) {
    pop_json(hub, id);  // hello
    std::int64_t seq = pop_json(hub, id)["seq"];
    for (auto message = pop_json(hub, id); !message.is_null(); message = pop_json(hub, id)) {
      EXPECT_EQ(message["type"], "event");
      EXPECT_EQ(message["seq"], ++seq);
      EXPECT_EQ(message["event"]["id"], seq);
    }
    EXPECT_EQ(seq, 3);
  }
}

TEST(WsHub, SnapshotKeepsOnlyTheMostRecentEvents) {
  auto hub = make_hub();
  for (int i = 1; i <= 5; ++i) hub.broadcast(stored(i));
  auto snapshot = hub.snapshot();
  ASSERT_EQ(snapshot["events"].size(), 3u);
  EXPECT_EQ(snapshot["events"][0]["id"], 3);
  EXPECT_EQ(snapshot["events"][2]["id"], 5);
}

TEST(WsHub, LateSeedMergesHistoryBeforeLiveEventsByID) {
  auto hub = make_hub();
  hub.broadcast(stored(10));
  hub.seed({stored(8), stored(9), stored(10)});
  auto events = hub.snapshot()["events"];
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]["id"], 8);
  EXPECT_EQ(events[1]["id"], 9);
  EXPECT_EQ(events[2]["id"], 10);
  EXPECT_EQ(hub.seq(), 1u) << "seeding does not consume sequence numbers";
}

TEST(WsHub, ClientOverQueueLimitIsResyncedWithFreshSnapshot) {
  auto hub = make_hub(4);
  auto slow = hub.connect({});
  auto fast = hub.connect({});
  // slow holds hello + snapshot; two events fill it to the limit of 4.
  hub.broadcast(stored(1));
  hub.broadcast(stored(2));
  while (hub.pop(fast)) {
  }
  EXPECT_EQ(hub.queued(slow), 4u);
  hub.broadcast(stored(3));  // over the limit for slow only
  EXPECT_EQ(hub.resyncs(), 1u);
  EXPECT_EQ(hub.queued(slow), 2u);
  auto resync = pop_json(hub, slow);
  EXPECT_EQ(resync["type"], "resync");
  EXPECT_EQ(resync["seq"], 3);
  EXPECT_EQ(resync["reason"], "client fell behind");
  auto snapshot = pop_json(hub, slow);
  EXPECT_EQ(snapshot["type"], "snapshot");
  EXPECT_EQ(snapshot["seq"], 3);
  EXPECT_EQ(snapshot["events"].back()["id"], 3);
  // The fast client was not affected and keeps its sequence.
  auto event = pop_json(hub, fast);
  EXPECT_EQ(event["type"], "event");
  EXPECT_EQ(event["seq"], 3);
  // After the resync the slow client continues at seq 4.
  hub.broadcast(stored(4));
  EXPECT_EQ(pop_json(hub, slow)["seq"], 4);
}

TEST(WsHub, PingIsAnsweredWithPongCarryingTheId) {
  auto hub = make_hub();
  auto id = hub.connect({});
  hub.pop(id);
  hub.pop(id);
  hub.receive(id, R"({"type":"ping","id":42})");
  auto pong = pop_json(hub, id);
  EXPECT_EQ(pong["type"], "pong");
  EXPECT_EQ(pong["id"], 42);
  EXPECT_FALSE(pong.contains("seq"));
  hub.receive(id, R"({"type":"ping","id":"abc"})");
  EXPECT_EQ(pop_json(hub, id)["id"], "abc");
}

TEST(WsHub, OtherClientMessagesGetAnErrorNotACrash) {
  auto hub = make_hub();
  auto id = hub.connect({});
  hub.pop(id);
  hub.pop(id);
  for (auto text : {"not json", "[]", R"({"type":5})", R"({"type":"subscribe"})"}) {
    hub.receive(id, text);
    auto reply = pop_json(hub, id);
    EXPECT_EQ(reply["type"], "error") << text;
  }
}

TEST(WsHub, DisconnectedClientStopsReceiving) {
  auto hub = make_hub();
  auto id = hub.connect({});
  EXPECT_EQ(hub.client_count(), 1u);
  hub.disconnect(id);
  EXPECT_EQ(hub.client_count(), 0u);
  hub.broadcast(stored(1));
  EXPECT_FALSE(hub.pop(id));
  hub.receive(id, R"({"type":"ping","id":1})");  // ignored, no crash
}

}  // namespace
}  // namespace constellation::api
