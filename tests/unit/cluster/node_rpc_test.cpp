// NodeRpc between two cores on a hand-driven network: results and errors (with their codes)
// come back to the caller, unknown methods are refused naming what is served, a call expires
// with `timeout` at its deadline and an answer arriving after that is dropped, and a send that
// fails at once completes the call at once.
#include <gtest/gtest.h>

#include <deque>

#include "agent/cluster/node_rpc.hpp"

namespace constellation::cluster {
namespace {

using Clock = NodeRpc::Clock;
using nlohmann::json;
const Clock::time_point kT0 = Clock::time_point{} + std::chrono::hours(1);

/// Payloads in flight, delivered only when the test says so.
struct Network {
  std::deque<std::pair<std::string, std::vector<std::uint8_t>>> queue;
  std::map<std::string, NodeRpc*> nodes;
  NodeRpc::Send sender() {
    return [this](const std::string& to, std::vector<std::uint8_t> bytes) -> Status {
      if (!nodes.contains(to)) return fail(ErrorCode::not_found, "no live member named " + to);
      queue.emplace_back(to, std::move(bytes));
      return {};
    };
  }
  void deliver_all() {
    while (!queue.empty()) {
      auto [to, bytes] = std::move(queue.front());
      queue.pop_front();
      nodes.at(to)->on_message(bytes);
    }
  }
};

struct NodeRpcPair : ::testing::Test {
  Network net;
  NodeRpc a{"a", net.sender(), 100};
  NodeRpc b{"b", net.sender(), 500};
  std::optional<Result<json>> got;
  NodeRpc::Done capture() {
    return [this](Result<json> r) { got = std::move(r); };
  }
  void SetUp() override { net.nodes = {{"a", &a}, {"b", &b}}; }
};

TEST_F(NodeRpcPair, AResultComesBackToTheCallerWithTheCallingNodeNamed) {
  b.handle("echo", [](const std::string& from, json params, NodeRpc::Done reply) {
    reply(json{{"from", from}, {"x", params["x"]}});
  });
  a.call(kT0, "b", "echo", {{"x", 42}}, kT0 + std::chrono::seconds(5), capture());
  EXPECT_EQ(a.pending(), 1u);
  net.deliver_all();
  ASSERT_TRUE(got && *got) << (got ? got->error().message : "no answer");
  EXPECT_EQ(**got, (json{{"from", "a"}, {"x", 42}}));
  EXPECT_EQ(a.pending(), 0u);
  EXPECT_FALSE(a.next_deadline());
}

TEST_F(NodeRpcPair, AHandlerErrorKeepsItsCodeAcrossTheWire) {
  b.handle("fails", [](const std::string&, json, NodeRpc::Done reply) {
    reply(fail(ErrorCode::unavailable, "no raft leader after 5s"));
  });
  a.call(kT0, "b", "fails", json::object(), kT0 + std::chrono::seconds(5), capture());
  net.deliver_all();
  ASSERT_TRUE(got && !*got);
  EXPECT_EQ(got->error().code, ErrorCode::unavailable);
  EXPECT_EQ(got->error().message, "no raft leader after 5s");
}

TEST_F(NodeRpcPair, AnUnknownMethodIsANotFoundNamingTheMethodsServed) {
  b.handle("raft.status", [](const std::string&, json, NodeRpc::Done reply) { reply(json{}); });
  a.call(kT0, "b", "raft.nope", json::object(), kT0 + std::chrono::seconds(5), capture());
  net.deliver_all();
  ASSERT_TRUE(got && !*got);
  EXPECT_EQ(got->error().code, ErrorCode::not_found);
  EXPECT_NE(got->error().message.find("'raft.nope'"), std::string::npos);
  EXPECT_NE(got->error().message.find("raft.status"), std::string::npos);
}

TEST_F(NodeRpcPair, ACallTimesOutAtItsDeadlineAndTheLateAnswerIsDropped) {
  NodeRpc::Done held;
  b.handle("slow", [&](const std::string&, json, NodeRpc::Done reply) { held = std::move(reply); });
  a.call(kT0, "b", "slow", json::object(), kT0 + std::chrono::seconds(2), capture());
  net.deliver_all();
  ASSERT_TRUE(held);
  EXPECT_EQ(a.next_deadline(), kT0 + std::chrono::seconds(2));
  a.expire(kT0 + std::chrono::milliseconds(1999));
  EXPECT_FALSE(got);
  a.expire(kT0 + std::chrono::seconds(2));
  ASSERT_TRUE(got && !*got);
  EXPECT_EQ(got->error().code, ErrorCode::timeout);
  EXPECT_NE(got->error().message.find("node b"), std::string::npos);
  EXPECT_NE(got->error().message.find("2000 ms"), std::string::npos);

  got.reset();
  held(json{{"late", true}});
  net.deliver_all();
  EXPECT_FALSE(got);  // done ran exactly once
  EXPECT_EQ(a.dropped_answers(), 1u);
}

TEST_F(NodeRpcPair, ASendThatFailsCompletesTheCallAtOnce) {
  a.call(kT0, "ghost", "echo", json::object(), kT0 + std::chrono::seconds(5), capture());
  ASSERT_TRUE(got && !*got);
  EXPECT_EQ(got->error().code, ErrorCode::not_found);
  EXPECT_EQ(a.pending(), 0u);
}

TEST_F(NodeRpcPair, AnAnswerFromAnotherNodeThanTheOneCalledIsIgnored) {
  a.call(kT0, "b", "echo", json::object(), kT0 + std::chrono::seconds(5), capture());
  auto forged = encode_rpc(RpcResponse{.id = 100, .from = "c", .result = json{{"x", 1}}});
  a.on_message(forged);
  EXPECT_FALSE(got);
  EXPECT_EQ(a.dropped_answers(), 1u);
  EXPECT_EQ(a.pending(), 1u);
}

TEST(NodeRpcCodec, RoundTripsRequestsAndAnswersAndRefusesGarbage) {
  auto request = decode_rpc(encode_rpc(
      RpcRequest{.id = 7, .from = "n1", .method = "docker.restart", .params = {{"name", "web"}}}));
  ASSERT_TRUE(request);
  const auto& r = std::get<RpcRequest>(*request);
  EXPECT_EQ(r.id, 7u);
  EXPECT_EQ(r.method, "docker.restart");
  EXPECT_EQ(r.params["name"], "web");

  auto failed = decode_rpc(
      encode_rpc(RpcResponse{.id = 8, .from = "n2", .result = fail(ErrorCode::conflict, "busy")}));
  ASSERT_TRUE(failed);
  EXPECT_EQ(std::get<RpcResponse>(*failed).result.error().code, ErrorCode::conflict);

  const std::vector<std::uint8_t> garbage{kRpcType, 0xff, 0x00};
  EXPECT_FALSE(decode_rpc(garbage));
  EXPECT_FALSE(decode_rpc(std::vector<std::uint8_t>{0xC1, 0x80}));
  NodeRpc rpc("x", [](const std::string&, std::vector<std::uint8_t>) -> Status { return {}; });
  rpc.on_message(garbage);
  EXPECT_EQ(rpc.malformed(), 1u);
}

}  // namespace
}  // namespace constellation::cluster
