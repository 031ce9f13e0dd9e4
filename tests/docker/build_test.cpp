// Image builds from a tar context against the real engine: progress streams while the
// build runs, the image works, and a failing RUN step - reported inside an HTTP 200
// stream - comes back as an error. (No test builds FROM a missing image: the engine would
// try to reach a registry, and tests talk only to loopback.)
#include <gtest/gtest.h>

#include <thread>

#include "agent/docker/tar_writer.hpp"
#include "tests/docker/docker_environment.hpp"

namespace constellation::testing {
namespace {

using namespace std::chrono_literals;

std::string context(const std::string& dockerfile) {
  docker::TarWriter tar;
  EXPECT_TRUE(tar.add_file("Dockerfile", dockerfile).has_value());
  EXPECT_TRUE(tar.add_file("hello.txt", "hi\n").has_value());
  return tar.finish();
}

TEST(DockerBuild, BuildsFromATarContextStreamingProgress) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  const auto tag = unique_name("built") + ":1";
  std::vector<std::string> progress;
  auto built = client.build_image(
      docker::BuildOptions{.tag = tag},
      context(std::string("FROM ") + kTestImage +
              "\nCOPY hello.txt /hello.txt\nRUN test -f /hello.txt && echo built > /built\n"),
      [&](const docker::ProgressMessage& m) { progress.push_back(m.stream); });
  ASSERT_TRUE(built.has_value()) << built.error().message;
  EXPECT_EQ(built->image_id.rfind("sha256:", 0), 0u) << built->image_id;
  EXPECT_NE(built->log.find("Step 3/3 : RUN test -f /hello.txt"), std::string::npos) << built->log;
  EXPECT_GE(progress.size(), 3u);

  // The image runs and contains what the build put there.
  const auto name = unique_name("from-build");
  auto id = client.create_container(
      name,
      docker::ContainerSpec{
          .image = tag, .cmd = {"sh", "-c", "test \"$(cat /hello.txt)\" = hi && test -f /built"}});
  ASSERT_TRUE(id.has_value()) << id.error().message;
  ASSERT_TRUE(client.start_container(*id).has_value());
  auto info = client.inspect_container(*id);
  for (int i = 0; i < 300 && info && info->running; ++i) {  // hang guard, not a timing check
    std::this_thread::sleep_for(50ms);
    info = client.inspect_container(*id);
  }
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->status, "exited");
  EXPECT_EQ(info->exit_code, 0);
  EXPECT_TRUE(client.remove_container(*id, true).has_value());
}

TEST(DockerBuild, AFailingRunStepIsAnErrorDespiteHttp200) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  const auto tag = unique_name("broken") + ":1";
  std::vector<std::string> progress;
  auto built =
      client.build_image(docker::BuildOptions{.tag = tag},
                         context(std::string("FROM ") + kTestImage + "\nRUN false\n"),
                         [&](const docker::ProgressMessage& m) { progress.push_back(m.stream); });
  ASSERT_FALSE(built.has_value());
  EXPECT_NE(built.error().message.find("docker build of " + tag + " failed"), std::string::npos)
      << built.error().message;
  EXPECT_NE(built.error().message.find("returned a non-zero code: 1"), std::string::npos)
      << built.error().message;
  EXPECT_FALSE(progress.empty()) << "the steps before the failure were streamed";
}

}  // namespace
}  // namespace constellation::testing
