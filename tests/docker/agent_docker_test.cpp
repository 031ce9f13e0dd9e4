// The real agent binary monitoring the suite's private engine: its container appears in
// /api/v1/containers and `constellation containers`, `constellation restart` restarts it (and
// refuses another node clearly), and the docker status and standard networks follow config.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/docker/docker_environment.hpp"
#include "tests/harness/http.hpp"
#include "tests/harness/process.hpp"

namespace constellation::testing {
namespace {

using nlohmann::json;

std::optional<json> get_json(const Agent& agent, const std::string& path) {
  auto response = http_request(UnixTarget{agent.socket()}, "GET", path);
  if (!response || response->status != 200) return std::nullopt;
  auto body = json::parse(response->body, nullptr, false);
  if (body.is_discarded()) return std::nullopt;
  return body;
}

std::optional<json> find_container(const json& document, const std::string& name) {
  for (const auto& c : document.value("containers", json::array()))
    if (c.value("name", "") == name) return c;
  return std::nullopt;
}

TEST(AgentDocker, ListsAndRestartsAContainerOfItsOwnEngine) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  const auto name = unique_name("agent-web");
  // The private engine runs with --bridge=none: the container gets its address on a network
  // of ours, which the agent then finds in place (same name and subnet) instead of creating.
  const auto network = unique_name("agent-net");
  ASSERT_TRUE(
      client.create_network({.name = network, .pools = {{test_subnet(14), ""}}}).has_value());
  auto id = client.create_container(
      name, docker::ContainerSpec{
                .image = kTestImage,
                .cmd = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"},
                .exposed_ports = {"8080/tcp"},
                .labels = {{"constellation.service", "agent-web"}, {"constellation.test", name}},
                .network_mode = network});
  ASSERT_TRUE(id.has_value()) << id.error().message;
  ASSERT_TRUE(client.start_container(*id).has_value());

  TempDir dir;
  Agent agent(
      dir, {.node = "dock-1",
            .extra_args = {"--docker-host", engine()->docker_host(), "--docker-reconcile-interval",
                           "500ms", "--docker-networks", network + "=" + test_subnet(14)}});
  std::optional<json> seen;
  ASSERT_TRUE(eventually([&] {
    auto listed = get_json(agent, "/api/v1/containers");
    if (listed) seen = find_container(*listed, name);
    return seen.has_value();
  })) << agent.process().log();
  EXPECT_EQ((*seen)["service"], "agent-web");
  EXPECT_EQ((*seen)["status"], "running");
  EXPECT_EQ((*seen)["state"], "running");
  EXPECT_EQ((*seen)["id"], *id);
  ASSERT_FALSE((*seen)["networks"].empty());
  EXPECT_EQ((*seen)["networks"][0], network);
  const auto prefix = test_subnet(14).substr(0, test_subnet(14).size() - 4);  // "10.213.N."
  EXPECT_EQ((*seen)["endpoints"].value("tcp", "").rfind("tcp://" + prefix, 0), 0u) << seen->dump();
  EXPECT_EQ((*seen)["labels"]["constellation.service"], "agent-web");

  // Status and health say Docker is fine, and the configured network is found in place (once
  // the first full reconcile is done: the container may be seen first through an event).
  std::optional<json> status;
  ASSERT_TRUE(eventually([&] {
    status = get_json(agent, "/api/v1/status");
    return status && (*status)["docker"]["reconciles"].get<int>() >= 1;
  }));
  EXPECT_EQ((*status)["docker"]["available"], true);
  EXPECT_EQ((*status)["docker"]["endpoint"], engine()->socket_path());
  auto health = http_request(UnixTarget{agent.socket()}, "GET", "/health");
  ASSERT_TRUE(health.has_value());
  EXPECT_EQ(health->status, 200) << health->body;
  EXPECT_EQ((*status)["docker"]["networks"][0]["state"], "present");

  // The console over the same API.
  auto table = run_cli({"containers", "--agent", agent.socket()});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find(name), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("agent-web"), std::string::npos) << table.out;
  auto as_json = run_cli({"containers", "--agent", agent.socket(), "-o", "json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  EXPECT_TRUE(find_container(json::parse(as_json.out), name).has_value());

  auto elsewhere = run_cli({"restart", "agent-web", "--node", "dock-2", "--agent", agent.socket()});
  EXPECT_EQ(elsewhere.exit_code, 1) << elsewhere.out << elsewhere.err;
  EXPECT_NE(elsewhere.err.find("no node named 'dock-2'"), std::string::npos) << elsewhere.err;
  auto no_node = run_cli({"restart", "agent-web", "--agent", agent.socket()});
  EXPECT_EQ(no_node.exit_code, 2);
  EXPECT_NE(no_node.err.find("--node"), std::string::npos) << no_node.err;

  const auto started_before = client.inspect_container(*id)->started_at;
  auto restarted =
      run_cli({"restart", "agent-web", "--node", "dock-1", "--agent", agent.socket(), "-o", "json"},
              {}, std::chrono::seconds(40));
  ASSERT_EQ(restarted.exit_code, 0) << restarted.out << restarted.err;
  EXPECT_EQ(json::parse(restarted.out)["restarted"]["container"], name);
  EXPECT_NE(client.inspect_container(*id)->started_at, started_before);
  ASSERT_TRUE(eventually([&] {
    auto events = get_json(agent, "/api/v1/events?kind=container.restarted");
    return events && !(*events)["events"].empty() &&
           (*events)["events"][0]["detail"]["container"] == name;
  }));

  auto missing = http_request(UnixTarget{agent.socket()}, "POST",
                              "/api/v1/containers/no-such-thing/restart", "{}");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404) << missing->body;
  EXPECT_NE(missing->body.find("no-such-thing"), std::string::npos);

  EXPECT_EQ(agent.stop(), 0);
  EXPECT_TRUE(client.remove_container(*id, true).has_value());
  EXPECT_TRUE(client.remove_network(network).has_value());
}

TEST(AgentDocker, KeepsRunningWithoutAnEngineAndSaysWhy) {
  TempDir dir;
  const auto socket = dir.file("no-docker.sock");
  // Not ready in the harness's sense: /health answers 503 from the start, which is the point.
  Agent agent(dir, {.node = "dock-3",
                    .extra_args = {"--docker-host", "unix://" + socket},
                    .env = {},
                    .wait_ready = false});
  ASSERT_TRUE(eventually([&] {
    auto health = http_request(UnixTarget{agent.socket()}, "GET", "/health");
    return health && health->status == 503 && health->body.find(socket) != std::string::npos;
  }));
  auto containers = get_json(agent, "/api/v1/containers");
  ASSERT_TRUE(containers.has_value());
  EXPECT_EQ((*containers)["available"], false);
  EXPECT_NE((*containers)["error"].get<std::string>().find(socket), std::string::npos);
  std::ofstream(dir.file("doctor.yaml")) << "{}\n";
  auto doctor = run_cli({"doctor", "--agent", agent.socket(), "-o", "json", "--docker-host",
                         "unix://" + socket, "--config", dir.file("doctor.yaml")});
  EXPECT_NE(doctor.out.find("no Docker socket at " + socket), std::string::npos) << doctor.out;
  EXPECT_TRUE(agent.process().running());
  EXPECT_EQ(agent.stop(), 0);
}

}  // namespace
}  // namespace constellation::testing
