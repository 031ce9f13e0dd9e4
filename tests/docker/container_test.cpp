// Container lifecycle against the real engine: create, start, inspect, stop, restart,
// remove a busybox container, and the engine's own refusals surfacing as error values.
#include <gtest/gtest.h>

#include "tests/docker/docker_environment.hpp"

namespace constellation::testing {
namespace {

docker::ContainerSpec sleeper(const std::string& name) {
  // A shell that exits on SIGTERM, so stop is prompt (a bare sleep as PID 1 ignores it).
  return docker::ContainerSpec{.image = kTestImage,
                               .cmd = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"},
                               .labels = {{"constellation.service", name},
                                          {"constellation.test", unique_name("lifecycle")}}};
}

TEST(DockerContainers, CreateStartInspectStopRemoveASleepingBusybox) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  const auto name = unique_name("sleeper");
  auto id = client.create_container(name, sleeper(name));
  ASSERT_TRUE(id.has_value()) << id.error().message;

  auto created = client.inspect_container(name);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_EQ(created->id, *id);
  EXPECT_EQ(created->name, name);
  EXPECT_EQ(created->status, "created");
  EXPECT_EQ(created->health, "none");
  EXPECT_EQ(created->labels.at("constellation.service"), name);

  ASSERT_TRUE(client.start_container(*id).has_value());
  EXPECT_TRUE(client.start_container(*id).has_value()) << "already started (304) is success";
  auto running = client.inspect_container(*id);
  ASSERT_TRUE(running.has_value());
  EXPECT_TRUE(running->running);
  EXPECT_EQ(running->status, "running");

  auto listed = client.list_containers(
      false, {{"label", {"constellation.test=" + unique_name("lifecycle")}}});
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, name);
  EXPECT_EQ((*listed)[0].state, "running");

  auto stopped = client.stop_container(*id, 5);
  ASSERT_TRUE(stopped.has_value()) << stopped.error().message;
  auto after = client.inspect_container(*id);
  ASSERT_TRUE(after.has_value());
  EXPECT_FALSE(after->running);
  EXPECT_EQ(after->status, "exited");
  EXPECT_TRUE(client.stop_container(*id, 5).has_value()) << "already stopped (304) is success";
  EXPECT_TRUE(client.list_containers(false, {{"name", {name}}})->empty());
  EXPECT_EQ(client.list_containers(true, {{"name", {name}}})->size(), 1u);

  ASSERT_TRUE(client.remove_container(*id).has_value());
  auto gone = client.inspect_container(*id);
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
  EXPECT_NE(gone.error().message.find("No such container"), std::string::npos)
      << gone.error().message;
}

TEST(DockerContainers, RestartStartsANewProcess) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  const auto name = unique_name("restarter");
  auto id = client.create_container(name, sleeper(name));
  ASSERT_TRUE(id.has_value()) << id.error().message;
  ASSERT_TRUE(client.start_container(*id).has_value());
  auto before = client.inspect_container(*id);
  ASSERT_TRUE(before.has_value());

  auto restarted = client.restart_container(*id, 5);
  ASSERT_TRUE(restarted.has_value()) << restarted.error().message;
  auto after = client.inspect_container(*id);
  ASSERT_TRUE(after.has_value());
  EXPECT_TRUE(after->running);
  EXPECT_NE(after->started_at, before->started_at);
  EXPECT_TRUE(client.remove_container(*id, true).has_value());
}

TEST(DockerContainers, EngineRefusalsCarryTheEnginesMessage) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  auto missing = client.create_container(unique_name("nope"),
                                         docker::ContainerSpec{.image = "no-such-image:1"});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_NE(missing.error().message.find("no-such-image"), std::string::npos)
      << missing.error().message;

  const auto name = unique_name("twice");
  auto first = client.create_container(name, sleeper(name));
  ASSERT_TRUE(first.has_value()) << first.error().message;
  auto second = client.create_container(name, sleeper(name));
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::conflict);
  EXPECT_NE(second.error().message.find("already in use"), std::string::npos)
      << second.error().message;
  EXPECT_TRUE(client.remove_container(*first, true).has_value());
}

}  // namespace
}  // namespace constellation::testing
