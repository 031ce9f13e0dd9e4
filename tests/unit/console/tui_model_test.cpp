// ClusterModel: snapshots load, and live events change exactly what they describe (member
// states in place; new nodes and health changes through one GET of that node or service).
#include <gtest/gtest.h>

#include "tests/unit/console/tui_fixture.hpp"

namespace constellation::console::tui {
namespace {

using testing::fixture_model;
using testing::kNowMs;

Event member_event(std::int64_t id, const std::string& change, const std::string& node) {
  return Event{.id = id,
               .time_ms = kNowMs + id,
               .node = "home-1",
               .kind = "member." + change,
               .subject = node};
}

TEST(TuiModel, LoadsNodesMostPreferredFirstAndDatesTheirStateChanges) {
  auto model = fixture_model();
  ASSERT_EQ(model.nodes().size(), 3u);
  EXPECT_EQ(model.nodes()[0].name, "home-1");
  EXPECT_EQ(model.nodes()[1].name, "cloud-1");
  EXPECT_EQ(model.nodes()[2].name, "edge-1");
  EXPECT_EQ(model.nodes()[1].changed_ms, kNowMs - 45000);
  EXPECT_EQ(model.nodes()[0].capabilities, (std::vector<std::string>{"lb", "dns"}));
  EXPECT_TRUE(model.nodes()[0].self);
}

TEST(TuiModel, CountsEachNodesServicesByHealthFromTheServices) {
  auto model = fixture_model();
  EXPECT_EQ(model.services_of("cloud-1"),
            (std::map<std::string, int>{{"healthy", 1}, {"running", 1}, {"starting", 1}}));
  EXPECT_TRUE(model.services_of("edge-1").empty());
}

TEST(TuiModel, MemberSuspectAndDeadEventsChangeTheNodeStateWithoutAFetch) {
  auto model = fixture_model();
  EXPECT_EQ(model.apply_event(member_event(10, "suspect", "cloud-1")), Refresh{});
  EXPECT_EQ(model.find_node("cloud-1")->state, "suspect");
  EXPECT_EQ(model.find_node("cloud-1")->changed_ms, kNowMs + 10);
  EXPECT_EQ(model.apply_event(member_event(11, "dead", "cloud-1")), Refresh{});
  EXPECT_EQ(model.find_node("cloud-1")->state, "dead");
}

TEST(TuiModel, MemberJoinOfAKnownNodeMarksItAlive) {
  auto model = fixture_model();
  EXPECT_EQ(model.apply_event(member_event(10, "join", "edge-1")), Refresh{});
  EXPECT_EQ(model.find_node("edge-1")->state, "alive");
}

TEST(TuiModel, MemberJoinOfAnUnknownNodeAsksForThatNodeOnly) {
  auto model = fixture_model();
  auto refresh = model.apply_event(member_event(10, "join", "new-1"));
  EXPECT_EQ(refresh, (Refresh{.kind = Refresh::Kind::node, .name = "new-1"}));
  model.apply_node(nlohmann::json{{"name", "new-1"}, {"state", "alive"}, {"priority", 5}}, kNowMs);
  EXPECT_EQ(model.nodes().front().name, "new-1") << "sorted by priority";
}

TEST(TuiModel, MemberUpdateAsksForTheNodesNewMetadata) {
  auto model = fixture_model();
  EXPECT_EQ(model.apply_event(member_event(10, "update", "home-1")),
            (Refresh{.kind = Refresh::Kind::node, .name = "home-1"}));
}

TEST(TuiModel, ReapedMemberIsRemoved) {
  auto model = fixture_model();
  model.apply_event(member_event(10, "reaped", "edge-1"));
  EXPECT_EQ(model.find_node("edge-1"), nullptr);
  EXPECT_EQ(model.nodes().size(), 2u);
}

TEST(TuiModel, HealthChangeAsksForThatServiceAndItsAnswerReplacesOnlyIt) {
  auto model = fixture_model();
  Event change{.id = 10,
               .time_ms = kNowMs,
               .node = "home-1",
               .kind = "service.health_changed",
               .subject = "api@home-1",
               .detail = {{"node", "home-1"}, {"service", "api"}, {"to", "healthy"}}};
  EXPECT_EQ(model.apply_event(change), (Refresh{.kind = Refresh::Kind::service, .name = "api"}));
  model.apply_service(nlohmann::json::parse(
      R"({"service":"api","instances":[{"node":"home-1","status":"healthy"},
                                       {"node":"cloud-1","status":"healthy"}]})"));
  ASSERT_EQ(model.services().size(), 3u);
  EXPECT_EQ(model.services()[0].name, "api");
  EXPECT_EQ(model.services()[0].healthy(), 2);
  EXPECT_EQ(model.services()[2].name, "whoami");
  EXPECT_EQ(model.services_of("home-1"), (std::map<std::string, int>{{"healthy", 2}}));
}

TEST(TuiModel, AServiceWithNoInstanceLeftIsRemoved) {
  auto model = fixture_model();
  model.remove_service("db");
  EXPECT_EQ(model.services().size(), 2u);
  EXPECT_TRUE(model.services_of("cloud-1").count("running") == 0);
}

TEST(TuiModel, EventsStayInIdOrderWithoutDuplicatesAcrossSnapshotsAndLiveEvents) {
  auto model = fixture_model();
  model.load_events(testing::fixture_events());  // a resync repeats them
  model.apply_event(member_event(3, "dead", "edge-1"));
  model.apply_event(member_event(7, "alive", "edge-1"));
  model.load_events(nlohmann::json::array({to_json(member_event(5, "suspect", "cloud-1"))}));
  std::vector<std::int64_t> ids;
  for (const auto& event : model.events()) ids.push_back(event.id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 7}));
}

TEST(TuiModel, KeepsOnlyTheNewestEvents) {
  ClusterModel model;
  for (std::int64_t id = 1; id <= static_cast<std::int64_t>(ClusterModel::kMaxEvents) + 10; ++id)
    model.apply_event(Event{.id = id, .kind = "note"});
  EXPECT_EQ(model.events().size(), ClusterModel::kMaxEvents);
  EXPECT_EQ(model.events().front().id, 11);
}

}  // namespace
}  // namespace constellation::console::tui
