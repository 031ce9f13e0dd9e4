// Network plan: parsing NAME=CIDR entries, present/missing/conflict by name and subnet, and
// which containers the opt-in labels attach to publicnet and warp-nat-net.
#include <gtest/gtest.h>

#include "agent/docker/network_plan.hpp"
#include "shared/strings.hpp"

namespace constellation::docker {
namespace {

TEST(DesiredNetworks, ParsesTheDefaultList) {
  auto parsed = parse_desired_networks(split(kDefaultNetworks, ','));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(*parsed, (std::vector<DesiredNetwork>{{"backend", "10.0.7.0/24"},
                                                  {"publicnet", "10.76.0.0/16"},
                                                  {"warp-nat-net", "10.0.2.0/24"}}));
}

TEST(DesiredNetworks, RejectsABadEntryNamingIt) {
  auto parsed = parse_desired_networks({"backend=10.0.7.0/24", "publicnet=10.76.0.0"});
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message.find("'publicnet=10.76.0.0'"), std::string::npos);
  EXPECT_FALSE(parse_desired_networks({"a=10.0.0.0/24", "a=10.0.1.0/24"}).has_value());
}

TEST(NetworkCheck, FindsPresentMissingAndConflictingNetworks) {
  std::vector<DesiredNetwork> desired{
      {"backend", "10.0.7.0/24"}, {"publicnet", "10.76.0.0/16"}, {"warp-nat-net", "10.0.2.0/24"}};
  std::vector<NetworkInfo> existing(2);
  existing[0].name = "backend";
  existing[0].id = "b1";
  existing[0].pools = {{"10.0.7.0/24", "10.0.7.1"}};
  existing[1].name = "publicnet";
  existing[1].id = "p1";
  existing[1].pools = {{"172.30.0.0/16", ""}};
  auto checks = check_networks(desired, existing);
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[0].state, NetworkState::present);
  EXPECT_EQ(checks[1].state, NetworkState::conflict);
  EXPECT_EQ(checks[2].state, NetworkState::missing);
  auto message = conflict_message(checks[1]);
  EXPECT_NE(message.find("172.30.0.0/16"), std::string::npos) << message;
  EXPECT_NE(message.find("10.76.0.0/16"), std::string::npos) << message;
  EXPECT_NE(message.find("left alone"), std::string::npos) << message;
}

TEST(NetworkAttachments, AttachOptInRunningContainersToUsableNetworksOnly) {
  MappedContainer edge, warp, stopped, done;
  edge.name = "edge";
  edge.state = "running";
  edge.traefik_enabled = true;
  warp.name = "warp";
  warp.state = "running";
  warp.warp_enabled = true;
  stopped = edge;
  stopped.name = "stopped";
  stopped.state = "exited";
  done = edge;
  done.name = "done";
  done.record.networks = {"publicnet"};
  std::vector<const MappedContainer*> all{&edge, &warp, &stopped, &done};
  EXPECT_EQ(plan_attachments(all, {"publicnet", "warp-nat-net"}),
            (std::vector<Attachment>{{"publicnet", "edge"}, {"warp-nat-net", "warp"}}));
  EXPECT_EQ(plan_attachments(all, {"warp-nat-net"}),
            (std::vector<Attachment>{{"warp-nat-net", "warp"}}));
}

}  // namespace
}  // namespace constellation::docker
