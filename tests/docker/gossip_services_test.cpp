// Two real agents, each watching its own private dockerd, see each other's containers as
// service records through gossip: a container on one engine appears on the other node,
// stopping it shows there as stopped, and killing the agent that owns it makes its services
// vanish from the survivor's view. Through node RPC, one agent lists and restarts the other
// node's containers. The second engine is started here; the first is the suite's.
#include <gtest/gtest.h>

#include <csignal>

#include <nlohmann/json.hpp>

#include "tests/docker/docker_environment.hpp"
#include "tests/harness/agent_api.hpp"
#include "tests/harness/http.hpp"
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

  // A lists B's containers and restarts B's service by name, through B's agent.
  json listed;
  ASSERT_TRUE(eventually([&] {
    listed = get_json(a, "/api/v1/containers?node=engine-b");
    return listed.value("node", "") == "engine-b";
  })) << listed.dump();
  bool db_listed = false;
  for (const auto& c : listed.value("containers", json::array()))
    db_listed = db_listed || c.value("service", "") == db;
  EXPECT_TRUE(db_listed) << listed.dump();
  auto cli = run_cli({"containers", "--node", "engine-b", "--agent", a.socket(), "-o", "json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out)["node"], "engine-b");

  const auto started_before = client_b.inspect_container(db_id)->started_at;
  auto restarted =
      run_cli({"restart", db, "--node", "engine-b", "--agent", a.socket(), "-o", "json"}, {},
              std::chrono::seconds(70));
  ASSERT_EQ(restarted.exit_code, 0) << restarted.out << restarted.err;
  EXPECT_EQ(json::parse(restarted.out)["restarted"]["service"], db);
  EXPECT_NE(client_b.inspect_container(db_id)->started_at, started_before);
  json by_b;
  EXPECT_TRUE(eventually([&] {
    by_b = get_json(b, "/api/v1/events?kind=container.restarted&subject=" + db);
    return !by_b.value("events", json::array()).empty();
  }));
  if (!by_b.value("events", json::array()).empty()) {
    const std::string by = by_b["events"][0]["detail"].value("by", "");
    EXPECT_NE(by.find("via engine-a"), std::string::npos) << by;
  }
  EXPECT_FALSE(journaled(a, "container.restarted", db));

  auto unknown = http_request(UnixTarget{a.socket()}, "POST",
                              "/api/v1/containers/" + db + "/restart?node=engine-z", "{}");
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->status, 404) << unknown->body;
  EXPECT_NE(unknown->body.find("engine-z"), std::string::npos) << unknown->body;
  auto missing = http_request(UnixTarget{a.socket()}, "POST",
                              "/api/v1/containers/no-such-service/restart?node=engine-b", "{}");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404) << missing->body;  // B's own not_found, carried back
  EXPECT_NE(missing->body.find("no-such-service"), std::string::npos) << missing->body;

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
