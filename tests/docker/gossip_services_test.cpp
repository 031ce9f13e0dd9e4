// Two real agents, each watching its own private dockerd, see each other's containers as
// service records through gossip: a container on one engine appears on the other node,
// stopping it shows there as stopped, and killing the agent that owns it makes its services
// vanish from the survivor's view. The second engine is started here; the first is the
// suite's.
#include <gtest/gtest.h>

#include <csignal>

#include <nlohmann/json.hpp>

#include "tests/docker/docker_environment.hpp"
#include "tests/harness/agent_api.hpp"
#include "tests/harness/process.hpp"

namespace constellation::testing {
namespace {

using nlohmann::json;

/// `service`'s status on `node` as `observer` sees it through gossip, "" if not listed.
std::string status_seen(const Agent& observer, const std::string& service,
                        const std::string& node) {
  auto body = get_json(observer, "/api/v1/services/" + service);
  if (!body.is_object()) return "";
  for (const auto& instance : body.value("instances", json::array()))
    if (instance.value("node", "") == node) return instance.value("status", "");
  return "";
}

/// A running container on `client`'s engine on its own network, labelled as `service`.
std::string run_service(docker::DockerClient& client, const std::string& service,
                        const std::string& network) {
  auto id = client.create_container(
      unique_name(service),
      docker::ContainerSpec{.image = kTestImage,
                            .cmd = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"},
                            .labels = {{"constellation.service", service}},
                            .network_mode = network});
  EXPECT_TRUE(id.has_value()) << id.error().message;
  if (!id) return "";
  EXPECT_TRUE(client.start_container(*id).has_value());
  return *id;
}

TEST(GossipServices, AgentsWithTheirOwnEnginesSeeEachOthersServicesThroughGossip) {
  ASSERT_NE(engine(), nullptr);
  auto second = PrivateDockerd::start();
  ASSERT_TRUE(second.has_value()) << second.error().message;
  ASSERT_TRUE((*second)->import_test_image().has_value());
  docker::DockerClient client_a = engine_client();
  docker::DockerClient client_b(
      docker::DockerHost{.unix_socket = (*second)->socket_path(), .tcp_host = {}, .tcp_port = 0});

  const auto net_a = unique_name("gossip-a"), net_b = unique_name("gossip-b");
  ASSERT_TRUE(client_a.create_network({.name = net_a, .pools = {{test_subnet(16), ""}}}));
  ASSERT_TRUE(client_b.create_network({.name = net_b, .pools = {{test_subnet(17), ""}}}));
  const auto web = unique_name("web"), db = unique_name("db");
  auto web_id = run_service(client_a, web, net_a);
  auto db_id = run_service(client_b, db, net_b);

  TempDir dir;
  Agent a(dir,
          {.node = "engine-a",
           .extra_args = {"--docker-host", engine()->docker_host(), "--docker-reconcile-interval",
                          "500ms", "--docker-networks", net_a + "=" + test_subnet(16)}});
  Agent b(dir,
          {.node = "engine-b",
           .extra_args = {"--docker-host", (*second)->docker_host(), "--docker-reconcile-interval",
                          "500ms", "--docker-networks", net_b + "=" + test_subnet(17), "--join",
                          "127.0.0.1:" + std::to_string(a.gossip_port().value_or(0))}});

  EXPECT_TRUE(eventually([&] { return status_seen(b, web, "engine-a") == "running"; }))
      << get_json(b, "/api/v1/services").dump();
  EXPECT_TRUE(eventually([&] { return status_seen(a, db, "engine-b") == "running"; }))
      << get_json(a, "/api/v1/services").dump();
  EXPECT_TRUE(eventually([&] { return journaled(a, "service.added", db); }));

  // A change on B's engine reaches A.
  ASSERT_TRUE(client_b.stop_container(db_id, 5).has_value());
  EXPECT_TRUE(eventually([&] { return status_seen(a, db, "engine-b") == "stopped"; }))
      << get_json(a, "/api/v1/services/" + db).dump();
  EXPECT_TRUE(eventually([&] { return journaled(a, "service.health_changed", db); }));

  // B dies: its services leave A's view with it.
  b.process().signal(SIGKILL);
  b.process().wait(std::chrono::seconds(5));
  EXPECT_TRUE(eventually([&] { return member_state(a, "engine-b") == "dead"; }));
  EXPECT_TRUE(eventually([&] { return status_seen(a, db, "engine-b").empty(); }));
  EXPECT_EQ(status_seen(a, web, "engine-a"), "running");

  EXPECT_EQ(a.stop(), 0);
  EXPECT_TRUE(client_a.remove_container(web_id, true).has_value());
  EXPECT_TRUE(client_b.remove_container(db_id, true).has_value());
  EXPECT_TRUE(client_a.remove_network(net_a).has_value());
}

}  // namespace
}  // namespace constellation::testing
