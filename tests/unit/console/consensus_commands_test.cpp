// `raft status`, `raft transfer-leader`, `leases`, `lease show`, `cordon` and `uncordon` over
// a fake agent: the requests they send, their tables against golden files
// (tests/unit/console/golden/cli_*.txt; regenerate with CONSTELLATION_UPDATE_GOLDEN=1 and
// review the diff), -o json as received, and the exit codes of each failure.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "console/command/complete.hpp"
#include "console/command/dispatch.hpp"
#include "tests/unit/console/fake_client.hpp"

namespace constellation::console {
namespace {

using testing::FakeAgent;
using testing::FakeClient;

struct Outcome {
  int code;
  std::string out, err;
};

void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path =
      std::string(CONSTELLATION_SOURCE_DIR) + "/tests/unit/console/golden/" + name + ".txt";
  if (std::getenv("CONSTELLATION_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << actual;
    return;
  }
  std::ifstream file(path);
  ASSERT_TRUE(file) << "missing golden " << path << " (run with CONSTELLATION_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << file.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "golden " << name;
}

nlohmann::json error_body(const char* code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

class ConsensusCommands : public ::testing::Test {
 protected:
  Outcome run(std::vector<std::string> words) {
    std::ostringstream out, err;
    Context context{.out = out, .err = err};
    context.getenv = [](const std::string&) { return std::optional<std::string>(); };
    context.make_client =
        [this](const std::string& address,
               const std::optional<std::string>&) -> Result<std::unique_ptr<ApiClient>> {
      return std::make_unique<FakeClient>(agent, address);
    };
    int code = dispatch(context, words);
    return {code, out.str(), err.str()};
  }

  static nlohmann::json raft_status_without_leader() {
    return {{"id", 3897},
            {"address", "127.0.0.1:8300"},
            {"role", "follower"},
            {"ready", false},
            {"term", 4},
            {"leader", nullptr},
            {"commit_index", 12},
            {"last_applied", 12},
            {"last_index", 13},
            {"members",
             {{{"node", "home-1"}, {"id", 3897}, {"address", "127.0.0.1:8300"}, {"voter", true}},
              {{"node", "cloud-1"}, {"id", 1122}, {"address", "127.0.0.2:8300"}, {"voter", true}},
              {{"node", nullptr}, {"id", 4431}, {"address", "127.0.0.3:8300"}, {"voter", false}}}},
            {"no_leader_reason",
             "no leader is known (term 4, this node is follower): an election is under way, or "
             "fewer than 2 of the 2 voters can reach each other"}};
  }

  static nlohmann::json leases() {
    nlohmann::json history = {{{"kind", "granted"},
                               {"holder", "home-1"},
                               {"token", 1},
                               {"at_ms", 1000},
                               {"clock", "home-1/77"}},
                              {{"kind", "expired"},
                               {"holder", "home-1"},
                               {"token", 1},
                               {"at_ms", 9000},
                               {"clock", "cloud-1/5"}},
                              {{"kind", "granted"},
                               {"holder", "cloud-1"},
                               {"token", 2},
                               {"at_ms", 9000},
                               {"clock", "cloud-1/5"}}};
    return {{"leases",
             {{{"name", "dns-writer"},
               {"holder", nullptr},
               {"token", 0},
               {"revision", 0},
               {"ttl_ms", 5000},
               {"renewals", 0},
               {"history", nlohmann::json::array()}},
              {{"name", "lb-leader"},
               {"holder", "cloud-1"},
               {"token", 2},
               {"revision", 41},
               {"ttl_ms", 3000},
               {"renewals", 38},
               {"history", history}}}},
            {"cordons",
             {{{"node", "home-1"},
               {"reason", "disk swap"},
               {"actor", "api:unix"},
               {"at_unix_ms", 1'700'000'000'000}}}},
            {"config_version", 0}};
  }

  static nlohmann::json lb_leader() {
    nlohmann::json lease = leases()["leases"][1];
    lease["granted_at_ms"] = 9000;
    lease["clock"] = "cloud-1/5";
    lease["expires_in_ms"] = 2400;
    lease["acting"] = {{"may_act", true}, {"acting_until_in_ms", 1900}};
    return lease;
  }

  FakeAgent agent;
};

TEST_F(ConsensusCommands, RaftStatusTableExplainsWhyThereIsNoLeader) {
  agent.answer("GET /api/v1/raft/status", 200, raft_status_without_leader());
  Outcome result = run({"raft", "status"});
  EXPECT_EQ(result.code, 0) << result.err;
  expect_golden("cli_raft_status", result.out);
  Outcome json = run({"raft", "status", "-o", "json"});
  EXPECT_EQ(nlohmann::json::parse(json.out), raft_status_without_leader());
}

TEST_F(ConsensusCommands, LeasesTableListsHoldersTokensAndCordons) {
  agent.answer("GET /api/v1/leases", 200, leases());
  Outcome result = run({"leases"});
  EXPECT_EQ(result.code, 0) << result.err;
  expect_golden("cli_leases", result.out);
  EXPECT_EQ(nlohmann::json::parse(run({"leases", "-o", "json"}).out), leases());
}

TEST_F(ConsensusCommands, EmptyLeasesSayThatNothingIsGrantedOrCordoned) {
  agent.answer("GET /api/v1/leases", 200,
               {{"leases", nlohmann::json::array()}, {"cordons", nlohmann::json::array()}});
  EXPECT_EQ(run({"leases"}).out, "no lease has been granted yet\n\nno node is cordoned\n");
}

TEST_F(ConsensusCommands, LeaseShowTableHasHolderViewAndHistory) {
  agent.answer("GET /api/v1/leases/lb-leader", 200, lb_leader());
  Outcome result = run({"lease", "show", "lb-leader"});
  EXPECT_EQ(result.code, 0) << result.err;
  expect_golden("cli_lease_show", result.out);
}

TEST_F(ConsensusCommands, LeaseShowExplainsWhyThereIsNoHolder) {
  nlohmann::json lease = leases()["leases"][0];
  lease["expires_in_ms"] = nullptr;
  lease["acting"] = nullptr;
  lease["no_holder_reason"] =
      "lease dns-writer has no holder: no eligible candidate: home-1 is cordoned";
  agent.answer("GET /api/v1/leases/dns-writer", 200, lease);
  Outcome result = run({"lease", "show", "dns-writer"});
  EXPECT_EQ(result.code, 0) << result.err;
  expect_golden("cli_lease_show_no_holder", result.out);
}

TEST_F(ConsensusCommands, LeaseShowOfAnUnknownLeaseExits1WithTheAgentsMessage) {
  agent.answer("GET /api/v1/leases/nope", 404,
               error_body("not_found", "no lease named 'nope'; known leases: lb-leader"));
  Outcome result = run({"lease", "show", "nope"});
  EXPECT_EQ(result.code, 1);
  EXPECT_EQ(result.err, "no lease named 'nope'; known leases: lb-leader\n");
}

TEST_F(ConsensusCommands, CordonPostsTheReasonAndConfirmsInOneLine) {
  agent.answer("POST /api/v1/nodes/home-1/cordon", 200,
               {{"cordoned", {{"node", "home-1"}, {"reason", "disk swap"}}}});
  Outcome result = run({"cordon", "home-1", "--reason", "disk swap"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out, "home-1 is cordoned: disk swap\n");
  ASSERT_EQ(agent.requests.size(), 1u);
  EXPECT_EQ(agent.requests[0].body, (nlohmann::json{{"reason", "disk swap"}}));
}

TEST_F(ConsensusCommands, CordonWithoutReasonIsAUsageErrorAndSendsNothing) {
  for (auto words : {std::vector<std::string>{"cordon", "home-1"},
                     std::vector<std::string>{"cordon", "home-1", "--reason", " "}}) {
    Outcome result = run(words);
    EXPECT_EQ(result.code, 2);
    EXPECT_EQ(result.err,
              "cordon home-1: --reason is required (say why, e.g. --reason 'disk swap')\n");
  }
  EXPECT_TRUE(agent.requests.empty());
  EXPECT_EQ(run({"cordon", "--reason", "x"}).code, 2) << "the node is required";
}

TEST_F(ConsensusCommands, CordonErrorsExitByTheirCode) {
  agent.answer("POST /api/v1/nodes/home-1/cordon", 409,
               error_body("conflict", "node home-1 is already cordoned by api:unix"));
  Outcome twice = run({"cordon", "home-1", "--reason", "again"});
  EXPECT_EQ(twice.code, 1);
  EXPECT_EQ(twice.err, "node home-1 is already cordoned by api:unix\n");
  agent.answer("POST /api/v1/nodes/home-1/cordon", 503,
               error_body("unavailable", "no raft leader is known"));
  EXPECT_EQ(run({"cordon", "home-1", "--reason", "r"}).code, 69);
  agent.answer("POST /api/v1/nodes/typo/cordon", 404,
               error_body("not_found", "no node named 'typo'"));
  EXPECT_EQ(run({"cordon", "typo", "--reason", "r"}).code, 1);
}

TEST_F(ConsensusCommands, UncordonPostsAndPrintsOrPassesJsonThrough) {
  nlohmann::json reply = {{"uncordoned", {{"node", "home-1"}}}};
  agent.answer("POST /api/v1/nodes/home-1/uncordon", 200, reply);
  EXPECT_EQ(run({"uncordon", "home-1"}).out, "home-1 is no longer cordoned\n");
  EXPECT_EQ(nlohmann::json::parse(run({"uncordon", "home-1", "-o", "json"}).out), reply);
}

TEST_F(ConsensusCommands, TransferLeaderSendsTheNodeOnlyWhenGiven) {
  agent.answer("POST /api/v1/raft/transfer", 200, {{"transferred", true}});
  EXPECT_EQ(run({"raft", "transfer-leader"}).out, "raft leadership handed to the best voter\n");
  EXPECT_EQ(run({"raft", "transfer-leader", "home-1"}).out, "raft leadership handed to home-1\n");
  ASSERT_EQ(agent.requests.size(), 2u);
  EXPECT_EQ(agent.requests[0].body, nlohmann::json::object());
  EXPECT_EQ(agent.requests[1].body, (nlohmann::json{{"node", "home-1"}}));
}

TEST_F(ConsensusCommands, LeaseNamesCompleteFromTheAgent) {
  agent.answer("GET /api/v1/leases", 200, leases());
  EXPECT_EQ(run({"__complete", "lease", "show", "l"}).out, "lb-leader\n");
  agent.answer("GET /api/v1/nodes", 200,
               {{"nodes", {{{"name", "home-1"}}, {{"name", "cloud-1"}}}}});
  EXPECT_EQ(run({"__complete", "cordon", "h"}).out, "home-1\n");
  EXPECT_EQ(run({"__complete", "raft", ""}).out, "status\ntransfer-leader\nrecover\n");
}

}  // namespace
}  // namespace constellation::console
