// Consensus in the real agent: off by default (the raft routes answer 503), and with
// --raft-enabled --bootstrap a single agent elects itself, reports itself leader through
// /api/v1/raft/status, grants itself the default leases, and keeps its raft log under
// DATA_DIR/raft.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;
using nlohmann::json;

namespace {

json get_json(const Agent& agent, const std::string& path, int* status = nullptr) {
  auto response = http_request(UnixTarget{agent.socket()}, "GET", path);
  if (!response) return json();
  if (status) *status = response->status;
  return json::parse(response->body, nullptr, false);
}

}  // namespace

TEST(RaftApi, RoutesAnswer503WhenRaftIsOff) {
  TempDir dir;
  Agent agent(dir);
  int status = 0;
  auto body = get_json(agent, "/api/v1/raft/status", &status);
  EXPECT_EQ(status, 503);
  EXPECT_EQ(body["error"]["message"], "raft is not running");
  get_json(agent, "/api/v1/leases", &status);
  EXPECT_EQ(status, 503);
}

TEST(RaftApi, BootstrappedAgentBecomesLeaderAndServesLeases) {
  TempDir dir;
  const std::string raft = "127.0.0.1:" + std::to_string(free_port());
  Agent agent(dir,
              {.node = "alpha", .extra_args = {"--raft-enabled", "--bootstrap", "--raft", raft}});
  json status;
  ASSERT_TRUE(eventually(
      [&] {
        status = get_json(agent, "/api/v1/raft/status");
        return status.is_object() && status.value("ready", false);
      },
      std::chrono::seconds(20)))
      << status.dump();
  EXPECT_EQ(status["role"], "leader");
  EXPECT_EQ(status["address"], raft);
  EXPECT_EQ(status["leader"]["address"], raft);
  ASSERT_EQ(status["members"].size(), 1u);
  EXPECT_TRUE(status["members"][0]["voter"]);
  EXPECT_FALSE(status.contains("no_leader_reason"));

  // As the only node, with the default capabilities, it grants itself both default leases.
  int code = 0;
  json leases;
  EXPECT_TRUE(eventually([&] {
    leases = get_json(agent, "/api/v1/leases", &code);
    return leases["leases"].is_array() && leases["leases"].size() == 2 &&
           leases["leases"][0]["holder"] == "alpha" && leases["leases"][1]["holder"] == "alpha";
  })) << leases.dump();
  EXPECT_EQ(code, 200);
  EXPECT_EQ(leases["leases"][0]["name"], "dns-writer");
  EXPECT_EQ(leases["leases"][1]["name"], "lb-leader");
  EXPECT_EQ(leases["cordons"], json::array());
  EXPECT_TRUE(std::filesystem::exists(agent.data_dir() + "/raft/metadata1") ||
              std::filesystem::exists(agent.data_dir() + "/raft/metadata2"));
  EXPECT_EQ(agent.stop(), 0);
}

TEST(RaftApi, AgentWithoutBootstrapExplainsWhyThereIsNoLeader) {
  TempDir dir;
  const std::string raft = "127.0.0.1:" + std::to_string(free_port());
  Agent agent(dir, {.node = "beta", .extra_args = {"--raft-enabled", "--raft", raft}});
  json status;
  ASSERT_TRUE(eventually(
      [&] {
        status = get_json(agent, "/api/v1/raft/status");
        return status.is_object() && status.value("role", "") == "follower";
      },
      std::chrono::seconds(20)))
      << status.dump();
  EXPECT_NE(status["no_leader_reason"].get<std::string>().find("waits to be added"),
            std::string::npos)
      << status.dump();
  EXPECT_TRUE(status["leader"].is_null());
}
