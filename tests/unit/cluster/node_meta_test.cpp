// Node meta: Serf-tag encoding, defaults and the 512-byte limit.
#include "agent/cluster/node_meta.hpp"

#include <gtest/gtest.h>

namespace constellation::cluster {
namespace {

TEST(NodeMeta, PriorityIsTenForCloudserverNamesAndFiftyOtherwise) {
  EXPECT_EQ(default_priority("cloudserver-1"), 10);
  EXPECT_EQ(default_priority("eu-cloudserver"), 10);
  EXPECT_EQ(default_priority("homelab-1"), 50);
}

TEST(NodeMeta, RoundTripsThroughSerfTags) {
  NodeMeta meta{.version = "0.4.0",
                .priority = 10,
                .capabilities = {"lb", "dns"},
                .public_ip = "203.0.113.7",
                .tailscale_ip = "100.64.0.5"};
  auto bytes = encode_node_meta(meta);
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(bytes->front(), 0xFF);
  auto decoded = decode_node_meta(*bytes);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, meta);
  EXPECT_TRUE(decoded->is_constellation());
  EXPECT_TRUE(decoded->has_capability("dns"));
  EXPECT_FALSE(decoded->has_capability("db"));
}

TEST(NodeMeta, RaftAddressTravelsAsTheRaftTagOnlyWhenSet) {
  NodeMeta meta{.priority = 20, .raft_address = "10.0.0.4:8300"};
  auto bytes = encode_node_meta(meta);
  ASSERT_TRUE(bytes);
  auto tags = nlohmann::json::from_msgpack(bytes->begin() + 1, bytes->end());
  EXPECT_EQ(tags["raft"], "10.0.0.4:8300");
  auto decoded = decode_node_meta(*bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->raft_address, "10.0.0.4:8300");
  EXPECT_EQ(to_json(*decoded)["raft_address"], "10.0.0.4:8300");

  auto plain = *encode_node_meta(NodeMeta{.priority = 20});
  auto without = nlohmann::json::from_msgpack(plain.begin() + 1, plain.end());
  EXPECT_FALSE(without.contains("raft"));
}

TEST(NodeMeta, SerfTagsWeDoNotKnowAreKeptAsExtra) {
  NodeMeta serf{.role = "web", .priority = 0, .extra = {{"dc", "ams"}}};
  auto decoded = decode_node_meta(*encode_node_meta(serf));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->role, "web");
  EXPECT_FALSE(decoded->is_constellation());
  EXPECT_EQ(decoded->extra.at("dc"), "ams");
}

TEST(NodeMeta, EmptyMetaAndAPreTagsRoleStringDecodeAsARole) {
  auto empty = decode_node_meta({});
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->role, "");
  auto role = decode_node_meta({'d', 'b'});
  ASSERT_TRUE(role);
  EXPECT_EQ(role->role, "db");
}

TEST(NodeMeta, MetaOverFiveHundredTwelveBytesIsRefusedWithItsSize) {
  NodeMeta meta;
  for (int i = 0; i < 60; ++i) meta.capabilities.push_back("capability-" + std::to_string(i));
  auto bytes = encode_node_meta(meta);
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, ErrorCode::too_large);
  EXPECT_NE(bytes.error().message.find("512"), std::string::npos);
}

TEST(NodeMeta, MalformedTagsAreAnErrorNotACrash) {
  EXPECT_FALSE(decode_node_meta({0xFF, 0x81, 0xa1}));             // map cut short
  EXPECT_FALSE(decode_node_meta({0xFF, 0x81, 0xa1, 'p', 0x01}));  // value not a string
  std::vector<std::uint8_t> bad_priority{0xFF};
  nlohmann::json::to_msgpack(nlohmann::json{{"prio", "high"}}, bad_priority);
  auto decoded = decode_node_meta(bad_priority);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("high"), std::string::npos);
}

}  // namespace
}  // namespace constellation::cluster
