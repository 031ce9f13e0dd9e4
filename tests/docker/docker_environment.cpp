// docker_tests' main: starts one private dockerd for the whole run, imports the busybox test
// image, and stops the engine by PID at the end. Also the helpers of docker_environment.hpp.
#include "tests/docker/docker_environment.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace constellation::testing {

namespace {
std::unique_ptr<PrivateDockerd> g_engine;

class DockerEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto started = PrivateDockerd::start();
    ASSERT_TRUE(started.has_value())
        << "cannot start the private dockerd: " << started.error().message;
    g_engine = std::move(*started);
    auto imported = g_engine->import_test_image();
    ASSERT_TRUE(imported.has_value()) << imported.error().message;
  }
  void TearDown() override { g_engine.reset(); }
};
}  // namespace

PrivateDockerd* engine() {
  return g_engine.get();
}

docker::DockerClient engine_client() {
  return docker::DockerClient(
      docker::DockerHost{.unix_socket = g_engine->socket_path(), .tcp_host = {}, .tcp_port = 0});
}

std::string unique_name(const std::string& base) {
  return "ct" + std::to_string(::getpid()) + "-" + base;
}

std::string test_subnet(int index) {
  return "10.213." + std::to_string((::getpid() * 7 + index) % 250) + ".0/24";
}

std::string test_gateway(int index) {
  return "10.213." + std::to_string((::getpid() * 7 + index) % 250) + ".1";
}

EventCollector::EventCollector(docker::DockerClient client, docker::EventsQuery query)
    : thread_([this, client = std::move(client), query](std::stop_token stop) mutable {
        auto status = client.events(
            query,
            [this](const docker::Event& e) {
              std::lock_guard lock(mutex_);
              events_.push_back(e);
              changed_.notify_all();
            },
            stop);
        std::lock_guard lock(mutex_);
        result_ = status;
        changed_.notify_all();
      }) {}

EventCollector::~EventCollector() {
  thread_.request_stop();
  thread_.join();
}

std::optional<docker::Event> EventCollector::wait_for(
    const std::function<bool(const docker::Event&)>& pred, std::chrono::seconds limit) {
  std::unique_lock lock(mutex_);
  std::optional<docker::Event> found;
  changed_.wait_for(lock, limit, [&] {
    for (const auto& e : events_) {
      if (pred(e)) {
        found = e;
        return true;
      }
    }
    return result_.has_value();
  });
  return found;
}

std::optional<Status> EventCollector::wait_end(std::chrono::seconds limit) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, limit, [&] { return result_.has_value(); });
  return result_;
}

std::vector<docker::Event> EventCollector::events() {
  std::lock_guard lock(mutex_);
  return events_;
}

}  // namespace constellation::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new constellation::testing::DockerEnvironment);
  return RUN_ALL_TESTS();
}
