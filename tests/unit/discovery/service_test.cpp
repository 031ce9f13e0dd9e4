// DiscoveryService on a real io_context and worker pool against the fake tailscaled: peers
// reach the loop, a failure is reported once per reason, and a later success as recovery.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "agent/discovery/discovery_service.hpp"
#include "tests/harness/fake_tailscaled.hpp"
#include "tests/harness/process.hpp"

using namespace constellation;
using namespace constellation::discovery;
using constellation::testing::FakeTailscaled;
using constellation::testing::TempDir;

namespace {
const std::string kFixtures = CONSTELLATION_TAILSCALE_FIXTURES;

struct Harness {
  asio::io_context loop;
  asio::thread_pool workers{1};
  std::vector<std::vector<std::string>> found;
  std::vector<std::string> changes;  ///< "failed:<reason>" / "recovered"
  DiscoveryService service;

  explicit Harness(const std::string& socket)
      : service(
            loop, workers,
            {.fetch = {.socket_path = socket, .command = {}, .timeout = std::chrono::seconds(5)},
             .filter = {.tag = "tag:constellation", .name_pattern = {}}},
            [this](const Discovered& d) {
              std::vector<std::string> names;
              for (const auto& peer : d.peers) names.push_back(peer.name);
              found.push_back(names);
            },
            [this](bool failed, const std::string& reason) {
              changes.push_back(failed ? "failed:" + reason : "recovered");
            }) {}
  ~Harness() { workers.join(); }

  // One run, driven to completion on this thread's loop.
  void run_once() {
    auto before = service.status_json()["runs"].get<std::uint64_t>();
    service.run();
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (service.status_json()["runs"].get<std::uint64_t>() == before &&
           std::chrono::steady_clock::now() < until) {
      loop.restart();
      loop.run_for(std::chrono::milliseconds(20));
    }
  }
};
}  // namespace

TEST(DiscoveryService, DeliversTheSelectedPeersOnTheLoop) {
  TempDir dir;
  FakeTailscaled fake(dir.file("ts.sock"), kFixtures + "/running.json");
  Harness h(fake.socket_path());
  h.run_once();
  ASSERT_EQ(h.found.size(), 1u);
  EXPECT_EQ(h.found[0], (std::vector<std::string>{"db", "web-1"}));
  auto status = h.service.status_json();
  EXPECT_EQ(status["mode"], "tailscale");
  EXPECT_EQ(status["peers_found"], 2);
  EXPECT_TRUE(status["last_error"].is_null());
  EXPECT_GT(status["last_run_ms"].get<std::int64_t>(), 0);
  EXPECT_TRUE(h.changes.empty());
}

TEST(DiscoveryService, ReportsAFailureOncePerReasonAndThenTheRecovery) {
  TempDir dir;
  std::string document = dir.file("status.json");
  std::filesystem::copy_file(kFixtures + "/needs_login.json", document);
  FakeTailscaled fake(dir.file("ts.sock"), document);
  Harness h(fake.socket_path());
  h.run_once();
  h.run_once();
  ASSERT_EQ(h.changes.size(), 1u);
  EXPECT_TRUE(h.changes[0].starts_with("failed:")) << h.changes[0];
  EXPECT_NE(h.changes[0].find("NeedsLogin"), std::string::npos);
  EXPECT_TRUE(h.found.empty());
  auto status = h.service.status_json();
  EXPECT_NE(status["last_error"].get<std::string>().find("NeedsLogin"), std::string::npos);
  EXPECT_EQ(status["failures"], 2);

  std::filesystem::copy_file(kFixtures + "/running.json", document,
                             std::filesystem::copy_options::overwrite_existing);
  h.run_once();
  ASSERT_EQ(h.changes.size(), 2u);
  EXPECT_EQ(h.changes[1], "recovered");
  EXPECT_EQ(h.found.size(), 1u);
  EXPECT_TRUE(h.service.status_json()["last_error"].is_null());
}

TEST(DiscoveryService, ResultsArrivingAfterStopAreDropped) {
  TempDir dir;
  FakeTailscaled fake(dir.file("ts.sock"), kFixtures + "/running.json");
  Harness h(fake.socket_path());
  h.service.run();
  h.service.stop();
  h.workers.join();
  h.loop.run_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(h.found.empty());
  EXPECT_EQ(h.service.status_json()["runs"], 0);
}
