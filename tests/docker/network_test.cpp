// Networks against the real engine: create with a subnet, find again by list and inspect,
// a duplicate create refused as a conflict (idempotence is the caller's job), and
// connecting a container, which then has an address in the subnet.
#include <gtest/gtest.h>

#include "tests/docker/docker_environment.hpp"

namespace constellation::testing {
namespace {

TEST(DockerNetworks, CreatedNetworkIsFoundAgainAndASecondCreateConflicts) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  const auto name = unique_name("backend");
  docker::NetworkSpec spec{.name = name,
                           .pools = {{test_subnet(1), test_gateway(1)}},
                           .labels = {{"constellation.network", "backend"}}};
  auto id = client.create_network(spec);
  ASSERT_TRUE(id.has_value()) << id.error().message;

  auto listed = client.list_networks({{"name", {name}}});
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, *id);
  ASSERT_EQ((*listed)[0].pools.size(), 1u);
  EXPECT_EQ((*listed)[0].pools[0].subnet, test_subnet(1));
  EXPECT_EQ((*listed)[0].labels.at("constellation.network"), "backend");

  auto by_name = client.inspect_network(name);
  ASSERT_TRUE(by_name.has_value()) << by_name.error().message;
  EXPECT_EQ(by_name->id, *id);
  EXPECT_EQ(by_name->driver, "bridge");

  auto again = client.create_network(spec);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_NE(again.error().message.find(name), std::string::npos) << again.error().message;

  ASSERT_TRUE(client.remove_network(*id).has_value());
  EXPECT_EQ(client.inspect_network(name).error().code, ErrorCode::not_found);
}

TEST(DockerNetworks, ConnectingAContainerGivesItAnAddressInTheSubnet) {
  ASSERT_NE(engine(), nullptr);
  auto client = engine_client();
  const auto first = unique_name("front");
  const auto second = unique_name("warp");
  auto first_id =
      client.create_network({.name = first, .pools = {{test_subnet(2), test_gateway(2)}}});
  ASSERT_TRUE(first_id.has_value()) << first_id.error().message;
  auto second_id =
      client.create_network({.name = second, .pools = {{test_subnet(3), test_gateway(3)}}});
  ASSERT_TRUE(second_id.has_value()) << second_id.error().message;

  const auto name = unique_name("attached");
  auto id = client.create_container(
      name, docker::ContainerSpec{.image = kTestImage,
                                  .cmd = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"},
                                  .network_mode = first});
  ASSERT_TRUE(id.has_value()) << id.error().message;
  ASSERT_TRUE(client.start_container(*id).has_value());
  auto connected = client.connect_network(second, *id, {"egress"});
  ASSERT_TRUE(connected.has_value()) << connected.error().message;

  auto info = client.inspect_container(*id);
  ASSERT_TRUE(info.has_value());
  ASSERT_EQ(info->networks.count(first), 1u);
  ASSERT_EQ(info->networks.count(second), 1u);
  const auto prefix2 = test_gateway(2).substr(0, test_gateway(2).size() - 1);
  const auto prefix3 = test_gateway(3).substr(0, test_gateway(3).size() - 1);
  EXPECT_EQ(info->networks.at(first).ip_address.rfind(prefix2, 0), 0u)
      << info->networks.at(first).ip_address;
  EXPECT_EQ(info->networks.at(second).ip_address.rfind(prefix3, 0), 0u)
      << info->networks.at(second).ip_address;
  EXPECT_EQ(info->networks.at(second).prefix_len, 24);
  auto& aliases = info->networks.at(second).aliases;
  EXPECT_NE(std::find(aliases.begin(), aliases.end(), "egress"), aliases.end());

  auto network = client.inspect_network(second);
  ASSERT_TRUE(network.has_value());
  EXPECT_EQ(network->containers.count(*id), 1u);

  EXPECT_TRUE(client.remove_container(*id, true).has_value());
  EXPECT_TRUE(client.remove_network(*first_id).has_value());
  EXPECT_TRUE(client.remove_network(*second_id).has_value());
}

}  // namespace
}  // namespace constellation::testing
