// `constellation demo` without a TTY: three agents come up healthy on their own sockets, the
// status table lists them, and SIGINT stops every agent and removes the temporary directory.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;
using namespace std::chrono_literals;

namespace {
/// Polls the demo's log until the line naming the data directory appears.
std::optional<std::string> wait_for_data_dir(Child& demo, std::chrono::seconds timeout) {
  const std::regex data_dir("data in (/tmp/constellation-demo-[A-Za-z0-9]+)");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline && demo.running()) {
    std::smatch match;
    const auto log = demo.log();
    if (std::regex_search(log, match, data_dir) && log.find("demo-3") != std::string::npos)
      return match[1].str();
    std::this_thread::sleep_for(100ms);
  }
  return std::nullopt;
}
}  // namespace

TEST(Demo, StartsThreeHealthyAgentsAndStopsThemAllOnSigint) {
  TempDir dir;
  Child demo({binary_path(), "demo"}, {}, dir.file("demo.log"));
  auto root = wait_for_data_dir(demo, 30s);
  ASSERT_TRUE(root) << demo.log();

  std::vector<int> agent_pids;
  for (const auto* node : {"demo-1", "demo-2", "demo-3"}) {
    auto reply =
        http_request(UnixTarget{*root + "/" + node + "/agent.sock"}, "GET", "/api/v1/status");
    ASSERT_TRUE(reply) << node;
    ASSERT_EQ(reply->status, 200) << reply->body;
    auto status = nlohmann::json::parse(reply->body);
    EXPECT_EQ(status["node"], node);
    agent_pids.push_back(status["pid"].get<int>());
    EXPECT_NE(demo.log().find(node), std::string::npos) << "status table lists " << node;
  }

  demo.signal(SIGINT);
  auto code = demo.wait(20s);
  ASSERT_TRUE(code) << demo.log();
  EXPECT_EQ(*code, 0) << demo.log();
  for (int pid : agent_pids)
    EXPECT_NE(::kill(pid, 0), 0) << "agent " << pid << " still running after the demo stopped";
  EXPECT_FALSE(std::filesystem::exists(*root)) << "temporary directory left behind";
}

TEST(Demo, RejectsABadNodeCountWithUsage) {
  auto result = run_cli({"demo", "--nodes", "twelve"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--nodes"), std::string::npos) << result.err;
}
