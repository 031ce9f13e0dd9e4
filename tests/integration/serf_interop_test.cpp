// Interop with a real HashiCorp peer: Debian's `serf agent` on loopback. Our agent joins it,
// each side lists the other alive, and a kill -9 of serf is detected by our agent. Waits
// poll with generous deadlines; nothing asserts on timing.
#include <csignal>
#include <cstdio>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;
using nlohmann::json;

namespace {
constexpr const char* kSerf = "/usr/bin/serf";

// `serf members -format json` as parsed JSON members, empty if serf does not answer.
json serf_members(int rpc_port) {
  std::string command = std::string(kSerf) +
                        " members -format json -rpc-addr 127.0.0.1:" + std::to_string(rpc_port) +
                        " 2>/dev/null";
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    ::pclose(pipe);
  }
  auto doc = json::parse(out, nullptr, false);
  return doc.is_object() ? doc.value("members", json::array()) : json::array();
}

std::string serf_state_of(int rpc_port, const std::string& name) {
  for (const auto& member : serf_members(rpc_port))
    if (member.value("name", "") == name) return member.value("status", "");
  return "";
}

std::string our_state_of(const Agent& agent, const std::string& name) {
  auto response = http_request(UnixTarget{agent.socket()}, "GET", "/api/v1/members");
  if (!response || response->status != 200) return "";
  auto body = json::parse(response->body, nullptr, false);
  if (!body.is_object()) return "";
  for (const auto& member : body.value("members", json::array()))
    if (member.value("name", "") == name) return member.value("state", "");
  return "";
}
}  // namespace

TEST(SerfInterop, OurAgentJoinsASerfAgentAndEachListsTheOtherAliveThenSeesItDie) {
  TempDir dir;
  const int gossip_port = free_port(), rpc_port = free_port();
  Child serf({kSerf, "agent", "-bind", "127.0.0.1:" + std::to_string(gossip_port), "-node",
              "serf-peer", "-rpc-addr", "127.0.0.1:" + std::to_string(rpc_port)},
             {}, dir.file("serf.log"));
  ASSERT_TRUE(eventually([&] { return serf_state_of(rpc_port, "serf-peer") == "alive"; }))
      << serf.log();

  Agent ours(
      dir, {.node = "ours", .extra_args = {"--join", "127.0.0.1:" + std::to_string(gossip_port)}});
  EXPECT_TRUE(eventually([&] { return serf_state_of(rpc_port, "ours") == "alive"; }))
      << serf_members(rpc_port).dump();
  EXPECT_TRUE(eventually([&] { return our_state_of(ours, "serf-peer") == "alive"; }));

  serf.signal(SIGKILL);
  serf.wait(std::chrono::seconds(5));
  EXPECT_TRUE(eventually([&] { return our_state_of(ours, "serf-peer") == "dead"; }));
}
