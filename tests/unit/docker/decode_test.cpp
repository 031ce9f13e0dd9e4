// Decoding engine responses (shapes taken from Docker 20.10 / API 1.41 and the 1.44 spec)
// and turning engine error bodies into operator-readable errors.
#include <gtest/gtest.h>

#include "agent/docker/decode.hpp"

namespace constellation::docker {
namespace {

TEST(ContainerDecoding, ReadsListItemsWithoutTheNameSlash) {
  auto list = decode_container_list(
      R"([{"Id":"abc","Names":["/web"],"Image":"busybox","State":"running",)"
      R"json("Status":"Up 2 minutes (healthy)","Labels":{"constellation.service":"web"}},)json"
      R"({"Id":"def","Names":[],"Labels":null}])");
  ASSERT_TRUE(list.has_value()) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "web");
  EXPECT_EQ((*list)[0].state, "running");
  EXPECT_EQ((*list)[0].labels.at("constellation.service"), "web");
  EXPECT_EQ((*list)[1].name, "");
  EXPECT_TRUE((*list)[1].labels.empty());
}

TEST(ContainerDecoding, ReadsStateHealthLabelsAndNetworks) {
  auto c = decode_container_inspect(R"({
    "Id":"abc","Name":"/web","RestartCount":2,
    "State":{"Status":"running","Running":true,"ExitCode":0,"StartedAt":"2026-01-01T00:00:00Z",
             "Health":{"Status":"unhealthy","FailingStreak":3,"Log":[]}},
    "Config":{"Image":"busybox","Labels":{"deunhealth.restart.on.unhealthy":"true"}},
    "NetworkSettings":{"IPAddress":"","Networks":{"backend":{"NetworkID":"n1",
      "IPAddress":"10.0.7.2","IPPrefixLen":24,"Gateway":"10.0.7.1","Aliases":["web"]}}}})");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->name, "web");
  EXPECT_TRUE(c->running);
  EXPECT_EQ(c->restart_count, 2);
  EXPECT_EQ(c->health, "unhealthy");
  EXPECT_EQ(c->failing_streak, 3);
  EXPECT_EQ(c->labels.at("deunhealth.restart.on.unhealthy"), "true");
  ASSERT_EQ(c->networks.count("backend"), 1u);
  EXPECT_EQ(c->networks.at("backend").ip_address, "10.0.7.2");
  EXPECT_EQ(c->networks.at("backend").prefix_len, 24);
  EXPECT_EQ(c->networks.at("backend").aliases, std::vector<std::string>{"web"});
}

TEST(ContainerDecoding, ReportsNoHealthcheckAsNone) {
  auto c = decode_container_inspect(R"({"Id":"a","State":{"Status":"exited","ExitCode":137}})");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->health, "none");
  EXPECT_EQ(c->exit_code, 137);
  EXPECT_FALSE(c->running);
}

TEST(ContainerDecoding, TurnsTypeSurprisesIntoErrors) {
  EXPECT_EQ(decode_container_list(R"({"not":"a list"})").error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(decode_container_inspect("<html>").error().code, ErrorCode::invalid_argument);
}

TEST(NetworkDecoding, ReadsPoolsAndAttachedContainers) {
  auto n = decode_network(R"({"Name":"backend","Id":"n1","Driver":"bridge","Scope":"local",
    "IPAM":{"Driver":"default","Config":[{"Subnet":"10.0.7.0/24","Gateway":"10.0.7.1"}]},
    "Containers":{"abc":{"Name":"web","IPv4Address":"10.0.7.2/24"}},"Labels":{}})");
  ASSERT_TRUE(n.has_value()) << n.error().message;
  EXPECT_EQ(n->name, "backend");
  ASSERT_EQ(n->pools.size(), 1u);
  EXPECT_EQ(n->pools[0].subnet, "10.0.7.0/24");
  EXPECT_EQ(n->containers.at("abc"), "10.0.7.2/24");
}

TEST(CreateDecoding, RequiresAnId) {
  EXPECT_EQ(*decode_created_id(R"({"Id":"abc","Warnings":[]})"), "abc");
  EXPECT_FALSE(decode_created_id(R"({"Warnings":[]})").has_value());
}

TEST(EngineErrors, SurfaceTheEnginesMessageAndMapTheStatus) {
  auto e = engine_error("POST /v1.41/containers/create?name=web", 409,
                        R"({"message":"Conflict. The container name \"/web\" is already in use"})");
  EXPECT_EQ(e.code, ErrorCode::conflict);
  EXPECT_EQ(e.message,
            "Docker refused POST /v1.41/containers/create?name=web: Conflict. The container "
            "name \"/web\" is already in use (HTTP 409)");
  EXPECT_EQ(engine_error("GET x", 404, R"({"message":"No such container: x"})").code,
            ErrorCode::not_found);
  EXPECT_EQ(engine_error("GET x", 400, "{}").code, ErrorCode::invalid_argument);
  EXPECT_EQ(engine_error("POST n", 403, R"({"message":"Pool overlaps"})").code,
            ErrorCode::conflict);
  EXPECT_EQ(engine_error("GET x", 500, "").code, ErrorCode::internal);
}

TEST(EngineErrors, FallBackToTheRawBodyWhenItIsNotJson) {
  auto e = engine_error("GET /_ping", 502, "bad gateway\n");
  EXPECT_NE(e.message.find("bad gateway"), std::string::npos);
}

}  // namespace
}  // namespace constellation::docker
