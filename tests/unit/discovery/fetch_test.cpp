// The fetchers against a fake tailscaled LocalAPI (a unix-socket server built from the
// contract) and fake `tailscale` scripts: the right Host header, 403 bodies reported, the CLI
// fallback when the socket is absent, failing and hanging commands.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "agent/discovery/fetch.hpp"
#include "tests/harness/fake_tailscaled.hpp"
#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"

using namespace constellation;
using namespace constellation::discovery;
using constellation::testing::FakeTailscaled;
using constellation::testing::TempDir;

namespace {
const std::string kRunning = std::string(CONSTELLATION_TAILSCALE_FIXTURES) + "/running.json";

std::string write_script(const TempDir& dir, const std::string& name, const std::string& body) {
  std::string path = dir.file(name);
  std::ofstream(path) << "#!/bin/sh\n" << body;
  ::chmod(path.c_str(), 0755);
  return path;
}
}  // namespace

TEST(FakeTailscaled, RefusesAnyHostButTheLocalApiHostLikeTailscaled) {
  TempDir dir;
  FakeTailscaled fake(dir.file("ts.sock"), kRunning);
  constellation::testing::UnixTarget target{fake.socket_path()};
  auto wrong = constellation::testing::http_request(target, "GET", "/localapi/v0/status", "",
                                                    {{"Host", "localhost"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
  EXPECT_EQ(wrong->body, "invalid localapi request\n");
  auto right = constellation::testing::http_request(target, "GET", "/localapi/v0/status", "",
                                                    {{"Host", "local-tailscaled.sock"}});
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200);
}

TEST(LocalApiFetch, GetsTheStatusDocumentWithTheLocalApiHostHeader) {
  TempDir dir;
  FakeTailscaled fake(dir.file("ts.sock"), kRunning);
  auto text = fetch_localapi_status(fake.socket_path(), std::chrono::seconds(5));
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_NE(text->find("\"BackendState\": \"Running\""), std::string::npos);
  EXPECT_EQ(fake.last_host(), "local-tailscaled.sock");
  EXPECT_EQ(fake.status_requests(), 1);
}

TEST(LocalApiFetch, AForbiddenAnswerReportsTailscaledsReason) {
  TempDir dir;
  FakeTailscaled fake(dir.file("ts.sock"), kRunning);
  fake.set_forbidden("access denied: status access denied");
  auto text = fetch_localapi_status(fake.socket_path(), std::chrono::seconds(5));
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::unavailable);
  EXPECT_NE(text.error().message.find("403"), std::string::npos) << text.error().message;
  EXPECT_NE(text.error().message.find("status access denied"), std::string::npos);
}

TEST(LocalApiFetch, AMissingSocketNamesThePathAndTheOptions) {
  TempDir dir;
  auto text = fetch_localapi_status(dir.file("absent.sock"), std::chrono::seconds(2));
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find(dir.file("absent.sock")), std::string::npos);
  EXPECT_NE(text.error().message.find("tailscale_socket"), std::string::npos);
}

TEST(StatusCommand, RunsTheCommandWithStatusJsonAndReturnsItsOutput) {
  TempDir dir;
  auto script = write_script(dir, "tailscale",
                             "[ \"$1 $2\" = \"status --json\" ] || { echo \"bad args: $*\" >&2; "
                             "exit 2; }\ncat '" +
                                 kRunning + "'\n");
  auto text = run_status_command(script, std::chrono::seconds(10));
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_NE(text->find("web-1.tail1234.ts.net."), std::string::npos);
}

TEST(StatusCommand, ANonZeroExitReportsTheFirstLineOfStderr) {
  TempDir dir;
  auto script = write_script(dir, "tailscale",
                             "echo 'failed to connect to local tailscaled; it doesn'\"'\"'t "
                             "appear to be running' >&2\nexit 1\n");
  auto text = run_status_command(script, std::chrono::seconds(10));
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::unavailable);
  EXPECT_NE(text.error().message.find("exited with 1"), std::string::npos);
  EXPECT_NE(text.error().message.find("failed to connect to local tailscaled"), std::string::npos);
}

TEST(StatusCommand, AHangingCommandIsKilledAtTheTimeout) {
  TempDir dir;
  auto script = write_script(dir, "tailscale", "exec sleep 600\n");
  auto text = run_status_command(script, std::chrono::milliseconds(300));
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::timeout);
}

TEST(StatusCommand, AMissingCommandSaysToInstallOrConfigureIt) {
  TempDir dir;
  auto text = run_status_command(dir.file("no-such-tailscale"), std::chrono::seconds(5));
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("tailscale_command"), std::string::npos)
      << text.error().message;
}

TEST(FetchSource, UsesTheSocketWhenItExists) {
  TempDir dir;
  FakeTailscaled fake(dir.file("ts.sock"), kRunning);
  std::string source;
  auto text = fetch_status_document({.socket_path = fake.socket_path(), .command = {}}, &source);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(source, "socket " + fake.socket_path());
  EXPECT_EQ(fake.status_requests(), 1);
}

TEST(FetchSource, AConfiguredCommandIsUsedEvenWhenTheSocketExists) {
  TempDir dir;
  FakeTailscaled fake(dir.file("ts.sock"), kRunning);
  auto script = write_script(dir, "ts", "cat '" + kRunning + "'\n");
  std::string source;
  auto text =
      fetch_status_document({.socket_path = fake.socket_path(), .command = script}, &source);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(source, "command " + script);
  EXPECT_EQ(fake.status_requests(), 0);
}

TEST(FetchSource, WithoutTheSocketItFallsBackToTailscaleFromPath) {
  TempDir dir;
  // The fallback runs `tailscale` from PATH; this process's PATH gets the fake first.
  write_script(dir, "tailscale", "cat '" + kRunning + "'\n");
  std::string old_path = ::getenv("PATH") ? ::getenv("PATH") : "";
  ::setenv("PATH", (dir.path() + ":" + old_path).c_str(), 1);
  std::string source;
  auto text =
      fetch_status_document({.socket_path = dir.file("absent.sock"), .command = {}}, &source);
  ::setenv("PATH", old_path.c_str(), 1);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(source, "command tailscale");
}
