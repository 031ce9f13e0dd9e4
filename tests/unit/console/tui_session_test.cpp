// Session: what the TUI asks of the agent. A snapshot message costs three GETs (nodes,
// services, events); a membership event costs none; a health change costs one GET of that
// service; the stream dropping shows the banner; a snapshot whose GETs failed is retried.
#include <gtest/gtest.h>

#include "console/tui/session.hpp"
#include "tests/unit/console/fake_client.hpp"
#include "tests/unit/console/tui_fixture.hpp"

namespace constellation::console::tui {
namespace {

using console::testing::FakeAgent;
using console::testing::FakeClient;
using testing::kNowMs;

class TuiSession : public ::testing::Test {
 protected:
  TuiSession()
      : session(
            [this]() -> Result<std::unique_ptr<ApiClient>> {
              return std::make_unique<FakeClient>(agent, "unix:/run/test.sock");
            },
            [] { return kNowMs; }) {
    agent.answer("GET /api/v1/nodes", 200, testing::fixture_nodes());
    agent.answer("GET /api/v1/services", 200, testing::fixture_services());
    agent.answer("GET /api/v1/events?limit=1000", 200, {{"events", testing::fixture_events()}});
  }

  std::vector<std::string> requests() const {
    std::vector<std::string> out;
    for (const auto& request : agent.requests) out.push_back(request.method + " " + request.target);
    return out;
  }

  FakeAgent agent;
  Session session;
};

TEST_F(TuiSession, ASnapshotLoadsNodesServicesAndEventsWithThreeGets) {
  session.on_message({{"type", "hello"}, {"node", "home-1"}});
  session.on_message({{"type", "snapshot"}, {"seq", 4}, {"events", nlohmann::json::array()}});
  EXPECT_EQ(requests(), (std::vector<std::string>{"GET /api/v1/nodes", "GET /api/v1/services",
                                                  "GET /api/v1/events?limit=1000"}));
  EXPECT_TRUE(session.model.link.connected);
  EXPECT_EQ(session.model.agent_node, "home-1");
  EXPECT_EQ(session.model.nodes().size(), 3u);
  EXPECT_EQ(session.model.services().size(), 3u);
  EXPECT_EQ(session.model.events().size(), 4u);
}

TEST_F(TuiSession, MembershipEventsChangeStatesWithoutAnyRequest) {
  session.on_message({{"type", "snapshot"}});
  agent.requests.clear();
  session.on_message({{"type", "event"},
                      {"event", {{"id", 9}, {"kind", "member.suspect"}, {"subject", "cloud-1"}}}});
  EXPECT_TRUE(agent.requests.empty());
  EXPECT_EQ(session.model.find_node("cloud-1")->state, "suspect");
}

TEST_F(TuiSession, AHealthChangeRefreshesThatServiceWithOneGet) {
  session.on_message({{"type", "snapshot"}});
  agent.requests.clear();
  agent.answer("GET /api/v1/services/api", 200,
               {{"service", "api"}, {"instances", {{{"node", "home-1"}, {"status", "healthy"}}}}});
  session.on_message({{"type", "event"},
                      {"event",
                       {{"id", 9},
                        {"kind", "service.health_changed"},
                        {"subject", "api@home-1"},
                        {"detail", {{"service", "api"}, {"node", "home-1"}, {"to", "healthy"}}}}}});
  EXPECT_EQ(requests(), (std::vector<std::string>{"GET /api/v1/services/api"}));
  EXPECT_EQ(session.model.services()[0].healthy(), 1);
  EXPECT_EQ(session.model.services()[0].instances.size(), 1u);
}

TEST_F(TuiSession, AServiceWhoseGetSaysNotFoundIsDropped) {
  session.on_message({{"type", "snapshot"}});
  session.on_message({{"type", "event"},
                      {"event",
                       {{"id", 9},
                        {"kind", "service.health_changed"},
                        {"subject", "db@cloud-1"},
                        {"detail", {{"service", "db"}, {"to", "removed"}}}}}});
  EXPECT_EQ(session.model.services().size(), 2u);
}

TEST_F(TuiSession, TheStreamDroppingShowsTheBannerAndTheNextSnapshotClearsIt) {
  session.on_message({{"type", "snapshot"}});
  session.on_message({{"type", "down"},
                      {"error", "the event stream ended"},
                      {"attempt", 2},
                      {"retry_in_ms", 500}});
  EXPECT_FALSE(session.model.link.connected);
  EXPECT_EQ(session.model.link.attempt, 2);
  EXPECT_EQ(session.model.link.error, "the event stream ended");
  EXPECT_EQ(session.model.nodes().size(), 3u) << "the last picture stays on screen";
  session.on_message({{"type", "snapshot"}});
  EXPECT_TRUE(session.model.link.connected);
}

TEST_F(TuiSession, ASnapshotWhoseGetsFailedIsRetriedOnTheNextTick) {
  agent.unreachable = true;
  session.on_message({{"type", "snapshot"}});
  EXPECT_FALSE(session.model.link.connected);
  EXPECT_NE(session.model.link.error.find("connection refused"), std::string::npos);
  agent.unreachable = false;
  session.tick();
  EXPECT_TRUE(session.model.link.connected);
  agent.requests.clear();
  session.tick();
  EXPECT_TRUE(agent.requests.empty()) << "no polling once the snapshot is in";
}

TEST_F(TuiSession, EnterFetchesTheDetailOrExplainsTheFailureInTheFooter) {
  agent.answer("GET /api/v1/nodes/home-1", 200, {{"name", "home-1"}, {"state", "alive"}});
  session.fetch_detail({.kind = Reaction::Kind::fetch_detail,
                        .path = "/api/v1/nodes/home-1",
                        .title = "node home-1"});
  ASSERT_TRUE(session.view.detail);
  EXPECT_EQ(session.view.detail->body["state"], "alive");
  session.view.detail.reset();
  session.fetch_detail(
      {.kind = Reaction::Kind::fetch_detail, .path = "/api/v1/nodes/ghost", .title = "node ghost"});
  EXPECT_FALSE(session.view.detail);
  EXPECT_EQ(session.view.message, "node ghost: no route");
}

}  // namespace
}  // namespace constellation::console::tui
