// dockerd dying under a live /events stream: the stream ends with an unavailable error
// (never silently), calls fail while the engine is down, and the same client works again
// once dockerd is back, with the engine's state intact.
#include <gtest/gtest.h>

#include "tests/docker/docker_environment.hpp"

namespace constellation::testing {
namespace {

TEST(DockerOutage, KilledDockerdEndsTheEventStreamAndTheClientRecoversAfterRestart) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  const auto name = unique_name("survivor");
  EventCollector events(engine_client(), docker::EventsQuery{.filters = {{"container", {name}}}});
  auto id =
      client.create_container(name, docker::ContainerSpec{.image = kTestImage, .cmd = {"true"}});
  ASSERT_TRUE(id.has_value()) << id.error().message;
  // The stream is live: it delivered the create event.
  ASSERT_TRUE(events.wait_for([](const docker::Event& e) { return e.action == "create"; }));

  engine()->kill();
  auto ended = events.wait_end();
  ASSERT_TRUE(ended.has_value()) << "the event stream did not end when dockerd died";
  ASSERT_FALSE(ended->has_value());
  EXPECT_EQ(ended->error().code, ErrorCode::unavailable);
  EXPECT_NE(ended->error().message.find(engine()->socket_path()), std::string::npos)
      << ended->error().message;

  auto down = client.ping();
  ASSERT_FALSE(down.has_value());
  EXPECT_EQ(down.error().code, ErrorCode::unavailable);
  EXPECT_NE(down.error().message.find("cannot reach Docker at " + engine()->socket_path()),
            std::string::npos)
      << down.error().message;

  auto restarted = engine()->restart();
  ASSERT_TRUE(restarted.has_value()) << restarted.error().message;
  auto up = client.ping();
  ASSERT_TRUE(up.has_value()) << up.error().message;
  auto info = client.inspect_container(name);
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->id, *id);
  EXPECT_TRUE(client.remove_container(*id, true).has_value());
}

}  // namespace
}  // namespace constellation::testing
