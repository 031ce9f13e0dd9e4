// Commands run through dispatch() over a fake agent: what they request, what they print for
// people and for scripts, and the exit codes for usage errors, API errors and an
// unreachable agent.
#include <sstream>

#include <gtest/gtest.h>

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

class CommandsTest : public ::testing::Test {
 protected:
  Outcome run(std::vector<std::string> words) {
    std::ostringstream out, err;
    Context context{.out = out, .err = err};
    context.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      return it == env.end() ? std::nullopt : std::optional(it->second);
    };
    context.make_client =
        [this](const std::string& address,
               const std::optional<std::string>& token) -> Result<std::unique_ptr<ApiClient>> {
      used_address = address;
      used_token = token;
      return std::make_unique<FakeClient>(agent, address);
    };
    int code = dispatch(context, words);
    return {code, out.str(), err.str()};
  }

  static nlohmann::json event(int id, std::string kind, std::string subject, std::string message) {
    return {{"id", id},           {"time_ms", 1'700'000'000'000},
            {"node", "alpha"},    {"kind", kind},
            {"subject", subject}, {"detail", {{"message", message}}},
            {"actor", "api:unix"}};
  }

  FakeAgent agent;
  std::map<std::string, std::string> env;
  std::string used_address;
  std::optional<std::string> used_token;
};

TEST_F(CommandsTest, StatusJsonIsTheDocumentAsReceived) {
  nlohmann::json status = {{"node", "alpha"}, {"version", "0.1.0"}, {"extra", {1, 2}}};
  agent.answer("GET /api/v1/status", 200, status);
  Outcome result = run({"status", "-o", "json"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(nlohmann::json::parse(result.out), status);
  EXPECT_EQ(used_address, "/run/constellation/agent.sock");
}

TEST_F(CommandsTest, AgentAddressAndTokenFileComeFromFlagThenEnvironment) {
  agent.answer("GET /api/v1/status", 200, {{"node", "a"}});
  env = {{"CONSTELLATION_AGENT", "/env.sock"}, {"CONSTELLATION_TOKEN_FILE", "/env-token"}};
  run({"status"});
  EXPECT_EQ(used_address, "/env.sock");
  EXPECT_EQ(used_token, "/env-token");
  run({"status", "--agent", "http://127.0.0.1:1", "--token-file", "/flag-token"});
  EXPECT_EQ(used_address, "http://127.0.0.1:1");
  EXPECT_EQ(used_token, "/flag-token");
}

TEST_F(CommandsTest, NotePostsMessageAndSubjectAndPrintsTheId) {
  agent.answer("POST /api/v1/events", 201, {{"event", event(42, "note", "web", "hi there")}});
  Outcome result = run({"note", "hi", "--subject", "web", "there"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out, "recorded event 42\n");
  ASSERT_EQ(agent.requests.size(), 1u);
  EXPECT_EQ(agent.requests[0].body, (nlohmann::json{{"message", "hi there"}, {"subject", "web"}}));
  Outcome json = run({"note", "-o", "json", "x"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["event"]["id"], 42);
}

TEST_F(CommandsTest, EventsBuildsTheQueryAndPrintsTableOrJsonArray) {
  nlohmann::json events = {event(1, "note", "web", "one"), event(2, "note", "db", "two")};
  agent.answer("GET /api/v1/events?since=1h&kind=note&limit=5", 200, {{"events", events}});
  Outcome table = run({"events", "--kind", "note", "--since", "1h", "--limit", "5"});
  EXPECT_EQ(table.code, 0) << table.err;
  EXPECT_TRUE(table.out.starts_with("TIME")) << table.out;
  EXPECT_NE(table.out.find("web      one"), std::string::npos) << table.out;
  Outcome json = run({"events", "--kind", "note", "--since", "1h", "--limit", "5", "-o", "json"});
  EXPECT_EQ(nlohmann::json::parse(json.out), events);
}

TEST_F(CommandsTest, EventsQueryValuesArePercentEncoded) {
  agent.answer("GET /api/v1/events?subject=a%20b%26c", 200, {{"events", nlohmann::json::array()}});
  EXPECT_EQ(run({"events", "--subject", "a b&c"}).code, 0);
}

TEST_F(CommandsTest, FollowPrintsRecentThenStreamedEventsAsNdjsonWithoutRepeats) {
  agent.answer("GET /api/v1/events?kind=note", 200, {{"events", {event(1, "note", "", "old")}}});
  agent.stream = {
      {{"type", "hello"}, {"node", "alpha"}},
      {{"type", "snapshot"},
       {"seq", 1},
       {"events", {event(1, "note", "", "old"), event(2, "note", "", "missed")}}},
      {{"type", "event"}, {"seq", 2}, {"event", event(3, "agent.started", "", "other kind")}},
      {{"type", "event"}, {"seq", 3}, {"event", event(4, "note", "", "new")}},
      {{"type", "resync"}, {"seq", 9}, {"reason", "client fell behind"}},
      {{"type", "snapshot"},
       {"seq", 9},
       {"events", {event(4, "note", "", "new"), event(5, "note", "", "after resync")}}},
  };
  Outcome result = run({"events", "--follow", "--kind", "note", "-o", "json"});
  std::istringstream lines(result.out);
  std::vector<std::string> messages;
  for (std::string line; std::getline(lines, line);)
    messages.push_back(nlohmann::json::parse(line)["detail"]["message"]);
  EXPECT_EQ(messages, (std::vector<std::string>{"old", "missed", "new", "after resync"}));
  EXPECT_NE(result.err.find("resynchronising"), std::string::npos) << result.err;
  EXPECT_EQ(result.code, 69) << "the fake stream ends, which is reported as unavailable";
}

TEST_F(CommandsTest, ReloadPrintsChangedAndRestartRequired) {
  agent.answer("POST /api/v1/reload", 200,
               {{"changed", {"log_level", "api"}}, {"restart_required", {"api"}}});
  Outcome result = run({"reload"});
  EXPECT_EQ(result.code, 0);
  EXPECT_NE(result.out.find("changed: log_level, api\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("restart required: api"), std::string::npos) << result.out;
}

TEST_F(CommandsTest, ApiErrorPrintsTheServersMessageAndExitsByItsCode) {
  agent.answer("POST /api/v1/reload", 401,
               {{"error", {{"code", "unauthorized"}, {"message", "send a bearer token"}}}});
  Outcome result = run({"reload"});
  EXPECT_EQ(result.code, 1);
  EXPECT_EQ(result.err, "send a bearer token\n");
  agent.answer("GET /api/v1/status", 503,
               {{"error", {{"code", "unavailable"}, {"message", "journal is down"}}}});
  EXPECT_EQ(run({"status"}).code, 69);
}

TEST_F(CommandsTest, UnreachableAgentExits69WithOneLine) {
  agent.unreachable = true;
  Outcome result = run({"status", "--agent", "/nowhere.sock"});
  EXPECT_EQ(result.code, 69);
  EXPECT_TRUE(result.err.starts_with("cannot reach the agent at /nowhere.sock")) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
}

TEST_F(CommandsTest, VersionWorksWithoutAnAgent) {
  agent.unreachable = true;
  Outcome result = run({"version"});
  EXPECT_EQ(result.code, 0);
  EXPECT_TRUE(result.out.starts_with("client  ")) << result.out;
  EXPECT_NE(result.out.find("cannot reach the agent"), std::string::npos) << result.out;
  agent.unreachable = false;
  agent.answer("GET /health", 200, {{"status", "ok"}, {"node", "alpha"}, {"version", "9.9"}});
  Outcome json = run({"version", "-o", "json"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["agent"]["version"], "9.9");
}

TEST_F(CommandsTest, UsageErrorsExit2WithOneLine) {
  Outcome typo = run({"stauts"});
  EXPECT_EQ(typo.code, 2);
  EXPECT_EQ(typo.err, "unknown command 'stauts' (did you mean 'status'?)\n");
  EXPECT_TRUE(agent.requests.empty());
  Outcome group = run({"config"});
  EXPECT_EQ(group.code, 2);
  EXPECT_NE(group.err.find("show or check"), std::string::npos) << group.err;
}

TEST_F(CommandsTest, HelpFlagAndHelpCommandPrintTheSameText) {
  Outcome flag = run({"events", "--help"});
  Outcome command = run({"help", "events"});
  EXPECT_EQ(flag.code, 0);
  EXPECT_EQ(flag.out, command.out);
  EXPECT_TRUE(flag.out.starts_with("usage: constellation events")) << flag.out;
  EXPECT_EQ(run({"help", "evnts"}).code, 2);
  EXPECT_NE(run({}).err.find("usage: constellation COMMAND"), std::string::npos);
  EXPECT_EQ(run({}).code, 2);
  EXPECT_EQ(run({"--help"}).code, 0);
}

TEST_F(CommandsTest, CompletePrintsCandidatesOnePerLine) {
  Outcome result = run({"__complete", "config", ""});
  EXPECT_EQ(result.code, 0);
  EXPECT_EQ(result.out, "show\ncheck\n");
}

TEST_F(CommandsTest, AgentCommandWithoutARunnerFails) {
  Outcome result = run({"agent", "--node", "x"});
  EXPECT_EQ(result.code, 1);
  EXPECT_FALSE(result.err.empty());
}

}  // namespace
}  // namespace constellation::console
