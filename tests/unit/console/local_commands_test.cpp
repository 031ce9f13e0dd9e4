// `config show|check` and `doctor`: they run the agent's configuration loader in the console
// against temporary directories, and reach the agent through a fake client.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "console/command/dispatch.hpp"
#include "tests/unit/console/fake_client.hpp"

namespace constellation::console {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int code;
  std::string out, err;
};

class LocalCommandsTest : public ::testing::Test {
 protected:
  LocalCommandsTest() {
    std::string pattern = (fs::temp_directory_path() / "console-local-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    std::ofstream(file("empty.yaml")) << "";
  }
  ~LocalCommandsTest() override { fs::remove_all(dir_); }

  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  Outcome run(std::vector<std::string> words) {
    std::ostringstream out, err;
    Context context{.out = out, .err = err};
    context.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    context.make_client =
        [this](const std::string& address,
               const std::optional<std::string>&) -> Result<std::unique_ptr<ApiClient>> {
      used_address = address;
      return std::make_unique<testing::FakeClient>(agent, address);
    };
    int code = dispatch(context, words);
    return {code, out.str(), err.str()};
  }

  /// The checks of `doctor -o json`, by name.
  std::map<std::string, nlohmann::json> doctor(std::vector<std::string> extra, int* code) {
    std::vector<std::string> words = {
        "doctor",     "-o",         "json",           "--config",     file("empty.yaml"),
        "--data-dir", file("data"), "--secrets-path", file("secrets")};
    words.insert(words.end(), extra.begin(), extra.end());
    Outcome result = run(words);
    *code = result.code;
    std::map<std::string, nlohmann::json> checks;
    auto report = nlohmann::json::parse(result.out, nullptr, false);
    EXPECT_FALSE(report.is_discarded()) << result.out << result.err;
    if (report.is_discarded()) return checks;
    for (const auto& check : report["checks"]) checks[check["name"]] = check;
    return checks;
  }

  testing::FakeAgent agent;
  std::string used_address;
  fs::path dir_;
};

TEST_F(LocalCommandsTest, ConfigCheckAcceptsAGoodFile) {
  Outcome result = run({"config", "check", "--config", file("empty.yaml")});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out, "configuration OK (" + file("empty.yaml") + ")\n");
}

TEST_F(LocalCommandsTest, ConfigCheckRejectsABadFileWithExit78) {
  std::ofstream(file("bad.yaml")) << "api: not-an-endpoint\n";
  Outcome result = run({"config", "check", "--config", file("bad.yaml")});
  EXPECT_EQ(result.code, 78);
  EXPECT_NE(result.err.find("api"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST_F(LocalCommandsTest, ConfigCheckUnknownAgentOptionIsAUsageError) {
  EXPECT_EQ(run({"config", "check", "--dta-dir", "/tmp"}).code, 2);
  EXPECT_EQ(run({"config", "check", "stray"}).code, 2);
}

TEST_F(LocalCommandsTest, ConfigShowJsonHasEveryOptionWithItsSource) {
  Outcome result = run(
      {"config", "show", "-o", "json", "--config", file("empty.yaml"), "--data-dir", file("data")});
  ASSERT_EQ(result.code, 0) << result.err;
  auto shown = nlohmann::json::parse(result.out);
  bool found = false;
  for (const auto& option : shown["options"]) {
    if (option["key"] != "data_dir") continue;
    found = true;
    EXPECT_EQ(option["value"], file("data"));
    EXPECT_NE(option["source"].get<std::string>().find("flag"), std::string::npos) << option;
  }
  EXPECT_TRUE(found) << result.out;
}

TEST_F(LocalCommandsTest, DoctorReportsAHealthyAgentAtTheGivenAddress) {
  fs::create_directories(file("data"));
  std::ofstream(file("data/journal.db")) << "x";
  fs::create_directories(file("secrets"));
  ::chmod(file("secrets").c_str(), 0700);
  std::ofstream(file("secrets/api-token")) << "t0ken\n";
  ::chmod(file("secrets/api-token").c_str(), 0600);
  agent.answer("GET /health", 200, {{"status", "ok"}, {"node", "alpha"}, {"version", "0.1.0"}});
  int code = -1;
  auto checks = doctor({"--agent", "/given.sock"}, &code);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(used_address, "/given.sock");
  for (const char* name : {"config", "data_dir", "secrets", "agent", "journal"})
    EXPECT_EQ(checks[name]["result"], "ok") << name << ": " << checks[name];
}

TEST_F(LocalCommandsTest, DoctorUsesTheConfiguredSocketWithoutAgentFlag) {
  int code = -1;
  doctor({"--socket", file("agent.sock")}, &code);
  EXPECT_EQ(used_address, file("agent.sock"));
}

TEST_F(LocalCommandsTest, DoctorFailsOnReadableSecretsAndUnreachableAgent) {
  fs::create_directories(file("secrets"));
  ::chmod(file("secrets").c_str(), 0755);
  agent.unreachable = true;
  int code = -1;
  auto checks = doctor({}, &code);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(checks["secrets"]["result"], "fail");
  EXPECT_NE(checks["secrets"]["message"].get<std::string>().find("chmod 700"), std::string::npos);
  EXPECT_EQ(checks["agent"]["result"], "fail");
  EXPECT_EQ(checks["data_dir"]["result"], "warn") << "missing but creatable";
  EXPECT_EQ(checks["journal"]["result"], "warn");
}

TEST_F(LocalCommandsTest, DoctorFailsOnAGroupReadableToken) {
  fs::create_directories(file("secrets"));
  ::chmod(file("secrets").c_str(), 0700);
  std::ofstream(file("secrets/api-token")) << "t0ken\n";
  ::chmod(file("secrets/api-token").c_str(), 0640);
  int code = -1;
  auto checks = doctor({}, &code);
  EXPECT_EQ(checks["secrets"]["result"], "fail") << checks["secrets"];
  EXPECT_EQ(checks["secrets"]["message"].get<std::string>().find("t0ken"), std::string::npos);
}

TEST_F(LocalCommandsTest, DoctorReportsABadConfigurationAsAFailedCheck) {
  std::ofstream(file("bad.yaml")) << "api: not-an-endpoint\n";
  Outcome result = run({"doctor", "-o", "json", "--config", file("bad.yaml")});
  EXPECT_EQ(result.code, 1);
  auto report = nlohmann::json::parse(result.out);
  EXPECT_EQ(report["checks"][0]["name"], "config");
  EXPECT_EQ(report["checks"][0]["result"], "fail");
}

}  // namespace
}  // namespace constellation::console
