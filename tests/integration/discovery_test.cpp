// Tailscale discovery end to end: a real agent, started without --join, finds another real
// agent through a fake tailscaled LocalAPI (tests/harness/fake_tailscaled.hpp, built from the
// contract because tailscaled cannot run here) or through a fake `tailscale` script, and they
// form one gossip cluster. A failing discovery is journaled, the agent keeps running, and the
// next success is journaled as a recovery. Waits poll; nothing asserts on timing.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/agent_api.hpp"
#include "tests/harness/fake_tailscaled.hpp"
#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;
using nlohmann::json;

namespace {
const std::string kFixtures = CONSTELLATION_TAILSCALE_FIXTURES;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The cluster template with alpha's address filled in, written to `path`.
void write_tailnet(const std::string& path, const std::string& alpha_ip) {
  std::string text = read_file(kFixtures + "/cluster_template.json");
  const std::string marker = "@ALPHA_IP@";
  text.replace(text.find(marker), marker.size(), alpha_ip);
  std::ofstream(path, std::ios::trunc) << text;
}

json events_of(const Agent& agent, const std::string& kind) {
  auto body = get_json(agent, "/api/v1/events?kind=" + kind);
  return body.is_object() ? body.value("events", json::array()) : json::array();
}

json discovery_status(const Agent& agent) {
  auto body = get_json(agent, "/api/v1/status");
  return body.is_object() ? body.value("discovery", json()) : json();
}

struct Alpha {
  TempDir dir;
  Agent alpha{dir, Agent::Options{.node = "alpha"}};
  int gossip_port = alpha.gossip_port().value_or(0);
};
}  // namespace

TEST(TailscaleDiscovery, AnAgentJoinsThePeerTheLocalApiListsWithoutAnyJoinFlag) {
  Alpha a;
  ASSERT_GT(a.gossip_port, 0);
  write_tailnet(a.dir.file("status.json"), "127.0.0.1");
  FakeTailscaled tailscaled(a.dir.file("tailscaled.sock"), a.dir.file("status.json"));
  Agent beta(a.dir,
             {.node = "beta",
              .extra_args = {"--discovery", "tailscale", "--tailscale-socket",
                             tailscaled.socket_path(), "--discovery-tag", "tag:constellation",
                             "--discovery-port", std::to_string(a.gossip_port)}});
  EXPECT_TRUE(eventually([&] { return member_state(beta, "alpha") == "alive"; }))
      << beta.process().log();
  EXPECT_TRUE(eventually([&] { return member_state(a.alpha, "beta") == "alive"; }));
  EXPECT_GE(tailscaled.status_requests(), 1);
  auto status = discovery_status(beta);
  EXPECT_EQ(status.value("mode", ""), "tailscale");
  EXPECT_EQ(status.value("peers_found", -1), 1) << status.dump();  // "phone" has no tag
  EXPECT_TRUE(status["last_error"].is_null()) << status.dump();
  EXPECT_TRUE(status["last_run_ms"].is_number());
  EXPECT_EQ(status.value("source", ""), "socket " + tailscaled.socket_path());
  // beta gossips the Tailscale IP the LocalAPI reported for it (Self) in its meta.
  auto tailscale_ip_of_beta = [](const Agent& agent) {
    auto node = get_json(agent, "/api/v1/nodes/beta");
    return node.is_object() ? node.value("tailscale_ip", "") : "";
  };
  EXPECT_TRUE(eventually([&] { return tailscale_ip_of_beta(beta) == "127.0.0.1"; }));
  EXPECT_TRUE(eventually([&] { return tailscale_ip_of_beta(a.alpha) == "127.0.0.1"; }));
  // The agent without discovery says so.
  EXPECT_EQ(discovery_status(a.alpha).value("mode", ""), "none");
}

TEST(TailscaleDiscovery, TheTailscaleCommandIsUsedWhenConfigured) {
  Alpha a;
  ASSERT_GT(a.gossip_port, 0);
  write_tailnet(a.dir.file("status.json"), "127.0.0.1");
  std::string script = a.dir.file("tailscale");
  std::ofstream(script) << "#!/bin/sh\n[ \"$1 $2\" = \"status --json\" ] || exit 2\ncat '"
                        << a.dir.file("status.json") << "'\n";
  ::chmod(script.c_str(), 0755);
  Agent beta(a.dir, {.node = "beta",
                     .extra_args = {"--discovery", "tailscale", "--tailscale-socket",
                                    a.dir.file("absent.sock"), "--tailscale-command", script,
                                    "--discovery-port", std::to_string(a.gossip_port)}});
  EXPECT_TRUE(eventually([&] { return member_state(beta, "alpha") == "alive"; }))
      << beta.process().log();
  EXPECT_TRUE(eventually([&] { return member_state(a.alpha, "beta") == "alive"; }));
  EXPECT_EQ(discovery_status(beta).value("source", ""), "command " + script);
}

TEST(TailscaleDiscovery, AFailingDiscoveryIsJournaledTheAgentKeepsRunningAndRecovers) {
  Alpha a;
  ASSERT_GT(a.gossip_port, 0);
  std::string document = a.dir.file("status.json");
  std::ofstream(document) << read_file(kFixtures + "/needs_login.json");
  FakeTailscaled tailscaled(a.dir.file("tailscaled.sock"), document);
  Agent beta(a.dir, {.node = "beta",
                     .extra_args = {"--discovery", "tailscale", "--tailscale-socket",
                                    tailscaled.socket_path(), "--discovery-interval", "1s",
                                    "--discovery-port", std::to_string(a.gossip_port)}});
  ASSERT_TRUE(eventually([&] { return !events_of(beta, "discovery.failed").empty(); }))
      << beta.process().log();
  auto failed = events_of(beta, "discovery.failed")[0];
  EXPECT_NE(failed["detail"].value("error", "").find("NeedsLogin"), std::string::npos)
      << failed.dump();
  EXPECT_TRUE(beta.process().running());
  auto health = http_request(UnixTarget{beta.socket()}, "GET", "/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto status = discovery_status(beta);
  EXPECT_NE(status.value("last_error", json("")).get<std::string>().find("NeedsLogin"),
            std::string::npos)
      << status.dump();
  EXPECT_EQ(member_state(beta, "alpha"), "");

  // Tailscale comes up: the next run succeeds, is journaled as a recovery and joins alpha.
  write_tailnet(document, "127.0.0.1");
  EXPECT_TRUE(eventually([&] { return !events_of(beta, "discovery.recovered").empty(); }))
      << beta.process().log();
  EXPECT_TRUE(eventually([&] { return member_state(beta, "alpha") == "alive"; }));
  EXPECT_TRUE(discovery_status(beta)["last_error"].is_null());
  EXPECT_EQ(events_of(beta, "discovery.failed").size(), 1u);  // same reason: journaled once
}
