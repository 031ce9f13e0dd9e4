// A file-based healthcheck flipping starting -> healthy -> unhealthy, observed through the
// real /events stream. The test controls the file through a bind mount, so the flips follow
// the test's actions rather than timing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/docker/docker_environment.hpp"

namespace constellation::testing {
namespace {

using namespace std::chrono_literals;

TEST(DockerHealth, FileHealthcheckFlipsStartingHealthyUnhealthyThroughEvents) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  const auto name = unique_name("health");
  const auto host_tmp = engine()->dir() + "/" + name + "-tmp";
  std::filesystem::create_directories(host_tmp);

  EventCollector events(engine_client(),
                        docker::EventsQuery{.filters = {{"type", {"container"}},
                                                        {"label", {"constellation.test=" + name}},
                                                        {"event", {"health_status"}}}});
  // Failures during the long start period do not count, so the container stays "starting"
  // until the file appears; after the first success one failure makes it unhealthy.
  docker::ContainerSpec spec{
      .image = kTestImage,
      .cmd = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"},
      .labels = {{"constellation.test", name}},
      .healthcheck = docker::HealthcheckSpec{.test = {"CMD", "test", "-f", "/tmp/healthy"},
                                             .interval = 200ms,
                                             .timeout = 2s,
                                             .start_period = 120s,
                                             .retries = 1},
      .binds = {host_tmp + ":/tmp"}};
  auto id = client.create_container(name, spec);
  ASSERT_TRUE(id.has_value()) << id.error().message;
  ASSERT_TRUE(client.start_container(*id).has_value());

  auto starting = client.inspect_container(*id);
  ASSERT_TRUE(starting.has_value());
  EXPECT_EQ(starting->health, "starting");

  std::ofstream(host_tmp + "/healthy") << "ok\n";
  auto healthy = events.wait_for(
      [&](const docker::Event& e) { return e.actor_id == *id && e.health_status() == "healthy"; });
  ASSERT_TRUE(healthy.has_value()) << "no health_status: healthy event";
  EXPECT_EQ(healthy->attributes.at("name"), name);
  EXPECT_EQ(client.inspect_container(*id)->health, "healthy");

  std::filesystem::remove(host_tmp + "/healthy");
  auto unhealthy = events.wait_for([&](const docker::Event& e) {
    return e.actor_id == *id && e.health_status() == "unhealthy";
  });
  ASSERT_TRUE(unhealthy.has_value()) << "no health_status: unhealthy event";
  auto inspected = client.inspect_container(*id);
  ASSERT_TRUE(inspected.has_value());
  EXPECT_EQ(inspected->health, "unhealthy");
  EXPECT_GE(inspected->failing_streak, 1);

  // Order as seen on the stream: healthy strictly before unhealthy, nothing else filtered in.
  auto seen = events.events();
  std::vector<std::string> statuses;
  for (const auto& e : seen) statuses.push_back(e.health_status());
  ASSERT_GE(statuses.size(), 2u);
  EXPECT_EQ(statuses[0], "healthy");
  EXPECT_EQ(statuses[1], "unhealthy");
  EXPECT_TRUE(client.remove_container(*id, true).has_value());
}

TEST(DockerHealth, EventStreamEndsWithSuccessWhenStopped) {
  ASSERT_NE(engine(), nullptr);
  std::optional<Status> result;
  std::jthread stream([&](std::stop_token stop) {
    result = engine_client().events(
        docker::EventsQuery{}, [](const docker::Event&) {}, stop);
  });
  // Make sure the stream is established before cancelling: a container event must arrive.
  {
    const auto name = unique_name("cancel");
    EventCollector probe(engine_client(), docker::EventsQuery{.filters = {{"container", {name}}}});
    auto client = engine_client();
    auto id =
        client.create_container(name, docker::ContainerSpec{.image = kTestImage, .cmd = {"true"}});
    ASSERT_TRUE(id.has_value()) << id.error().message;
    ASSERT_TRUE(probe.wait_for([](const docker::Event& e) { return e.action == "create"; }));
    EXPECT_TRUE(client.remove_container(*id, true).has_value());
  }
  stream.request_stop();
  stream.join();
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->has_value()) << result->error().message;
}

}  // namespace
}  // namespace constellation::testing
