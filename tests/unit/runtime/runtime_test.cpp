// The agent runtime as its subsystems see it: start in order, stop in reverse, a failed start
// unwinds what already started, cron tasks and signal handlers run on the loop thread, and
// systemd hears READY=1 and STOPPING=1 on NOTIFY_SOCKET.
#include <csignal>
#include <cstdlib>
#include <thread>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "agent/runtime/runtime.hpp"

using namespace constellation;
using namespace constellation::runtime;
using namespace std::chrono_literals;

namespace {

Runtime::Options fast_options() {
  Runtime::Options options;
  options.worker_threads = 1;
  options.cron_interval = 10ms;
  options.stop_deadline = 2000ms;
  return options;
}

Subsystem recording(std::string name, std::vector<std::string>& log, bool fail = false) {
  return Subsystem{
      .name = name,
      .start = [name, &log, fail]() -> Status {
        log.push_back("start " + name);
        if (fail) return constellation::fail(ErrorCode::unavailable, "address in use");
        return {};
      },
      .stop = [name, &log] { log.push_back("stop " + name); },
  };
}

}  // namespace

TEST(Runtime, StartsSubsystemsInOrderAndStopsThemInReverse) {
  std::vector<std::string> log;
  Runtime runtime(fast_options());
  for (const char* name : {"journal", "api", "gossip"}) runtime.add(recording(name, log));
  asio::post(runtime.loop(), [&] { runtime.request_stop("test"); });
  ASSERT_TRUE(runtime.run());
  EXPECT_EQ(log, (std::vector<std::string>{"start journal", "start api", "start gossip",
                                           "stop gossip", "stop api", "stop journal"}));
  for (const auto& info : runtime.subsystems())
    EXPECT_EQ(info.state, SubsystemState::stopped) << info.name;
}

TEST(Runtime, FailedStartStopsWhatAlreadyStartedAndNamesTheSubsystem) {
  std::vector<std::string> log;
  Runtime runtime(fast_options());
  runtime.add(recording("journal", log));
  runtime.add(recording("api", log, /*fail=*/true));
  runtime.add(recording("gossip", log));
  auto ran = runtime.run();
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().message, "api: address in use");
  EXPECT_EQ(ran.error().code, ErrorCode::unavailable);
  EXPECT_EQ(log, (std::vector<std::string>{"start journal", "start api", "stop journal"}));
  auto states = runtime.subsystems();
  EXPECT_EQ(states[0].state, SubsystemState::stopped);
  EXPECT_EQ(states[1].state, SubsystemState::failed);
  EXPECT_EQ(states[2].state, SubsystemState::pending);
}

TEST(Runtime, CronTasksRunOnTheLoopThread) {
  Runtime runtime(fast_options());
  const auto loop_thread = std::this_thread::get_id();
  int runs = 0;
  bool all_on_loop = true;
  runtime.cron().every("count", 10ms, [&] {
    all_on_loop = all_on_loop && std::this_thread::get_id() == loop_thread;
    if (++runs == 3) runtime.request_stop("enough");
  });
  ASSERT_TRUE(runtime.run());
  EXPECT_EQ(runs, 3);
  EXPECT_TRUE(all_on_loop);
  EXPECT_GE(runtime.cron().ticks(), 3u);
}

TEST(Runtime, SighupCallsTheReloadHandlerOnTheLoop) {
  Runtime runtime(fast_options());
  int reloads = 0;
  runtime.on_reload([&] {
    ++reloads;
    runtime.request_stop("reloaded once");
  });
  asio::post(runtime.loop(), [] { std::raise(SIGHUP); });
  ASSERT_TRUE(runtime.run());
  EXPECT_EQ(reloads, 1);
}

TEST(Runtime, SigtermRunsTheStoppingHookThenStopsSubsystems) {
  std::vector<std::string> log;
  Runtime runtime(fast_options());
  runtime.add(recording("journal", log));
  runtime.on_stopping([&] { log.push_back("stopping hook"); });
  asio::post(runtime.loop(), [] { std::raise(SIGTERM); });
  ASSERT_TRUE(runtime.run());
  EXPECT_EQ(log, (std::vector<std::string>{"start journal", "stopping hook", "stop journal"}));
}

TEST(Runtime, TellsSystemdReadyAndStoppingOnTheNotifySocket) {
  // A datagram socket standing in for systemd's notify socket.
  const std::string path = "/tmp/constellation-notify-" + std::to_string(::getpid());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
  ::unlink(path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  {
    Runtime runtime(fast_options());
    asio::post(runtime.loop(), [&] { runtime.request_stop("test"); });
    ASSERT_TRUE(runtime.run());
  }
  ::unsetenv("NOTIFY_SOCKET");
  std::string received;
  char buffer[512];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT)) > 0;)
    received += std::string(buffer, static_cast<std::size_t>(n)) + "\n";
  ::close(fd);
  ::unlink(path.c_str());
  const auto ready = received.find("READY=1");
  const auto stopping = received.find("STOPPING=1");
  ASSERT_NE(ready, std::string::npos) << received;
  ASSERT_NE(stopping, std::string::npos) << received;
  EXPECT_LT(ready, stopping) << received;
}
