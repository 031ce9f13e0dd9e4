// The consensus routes without sockets: raft leader and transfer, one lease, cordon and
// uncordon — each error with its status and message, the actor passed from the request, and
// 503 everywhere when raft is off.
#include <gtest/gtest.h>

#include "tests/unit/api/dispatch_helpers.hpp"

namespace constellation::api::testing {
namespace {

/// A consensus fake behind the ApiContext hooks: known nodes, cordons, a quorum switch.
struct FakeConsensus {
  std::vector<std::string> nodes = {"alpha", "beta"};
  std::map<std::string, std::string> cordons;  ///< node -> reason
  bool quorum = true;
  std::string last_actor;
  std::vector<std::string> transfers;

  void install(ApiContext& context) {
    context.raft_leader = []() -> Result<nlohmann::json> {
      return nlohmann::json{{"leader", {{"node", "alpha"}, {"id", 1}, {"address", "a:1"}}}};
    };
    context.lease = [](const std::string& name) -> Result<nlohmann::json> {
      if (name != "lb-leader")
        return fail(ErrorCode::not_found, "no lease named '" + name + "'; known leases: lb-leader");
      return nlohmann::json{{"name", name}, {"holder", nullptr}};
    };
    context.transfer_leadership = [this](std::string node, ApiContext::JsonDone done) {
      transfers.push_back(node);
      done(nlohmann::json{{"transferred", true}});
    };
    context.cordon = [this](std::string node, std::string reason, std::string actor,
                            ApiContext::JsonDone done) {
      last_actor = actor;
      if (std::find(nodes.begin(), nodes.end(), node) == nodes.end())
        return done(fail(ErrorCode::not_found, "no node named '" + node + "' in the cluster"));
      if (cordons.contains(node))
        return done(fail(ErrorCode::conflict,
                         "node " + node + " is already cordoned because " + cordons[node]));
      if (!quorum) return done(fail(ErrorCode::unavailable, "no raft leader is known: no quorum"));
      cordons[node] = reason;
      done(nlohmann::json{{"cordoned", {{"node", node}, {"reason", reason}}}});
    };
    context.uncordon = [this](std::string node, std::string actor, ApiContext::JsonDone done) {
      last_actor = actor;
      if (cordons.erase(node) == 0)
        return done(fail(ErrorCode::conflict, "node " + node + " is not cordoned"));
      done(nlohmann::json{{"uncordoned", {{"node", node}}}});
    };
  }
};

struct ConsensusFixture {
  explicit ConsensusFixture(bool raft = true, std::optional<std::string> token = std::nullopt)
      : dispatcher(make_routes(HandlerDeps{context(raft), "alpha", &metrics}),
                   Auth(std::move(token), std::string(kTokenPath)), metrics) {}

  ApiContext context(bool raft) {
    ApiContext c = agent.context();
    if (raft) consensus.install(c);
    return c;
  }

  Response call(std::string method, std::string target, std::string body = "",
                PeerKind peer = PeerKind::unix_socket, std::string authorization = "") {
    Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.peer = peer;
    request.peer_address = peer == PeerKind::tcp ? "127.0.0.9" : "";
    request.authorization = std::move(authorization);
    asio::io_context io;
    std::optional<Response> response;
    asio::co_spawn(io, dispatcher.dispatch(std::move(request)),
                   [&](std::exception_ptr, Response r) { response = std::move(r); });
    io.run();
    return response.value();
  }

  FakeAgent agent;
  FakeConsensus consensus;
  Metrics metrics;
  Dispatcher dispatcher;
};

TEST(ConsensusRoutes, CordonPassesTheTrimmedReasonAndTheRequestActor) {
  ConsensusFixture f;
  auto response = f.call("POST", "/api/v1/nodes/beta/cordon", R"({"reason":"  disk swap "})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(body_of(response)["cordoned"]["reason"], "disk swap");
  EXPECT_EQ(f.consensus.last_actor, "api:unix");
  EXPECT_EQ(f.consensus.cordons.at("beta"), "disk swap");
}

TEST(ConsensusRoutes, CordonWithoutAReasonIs400SayingReasonIsRequired) {
  ConsensusFixture f;
  for (const char* body : {"", "{}", R"({"reason":""})", R"({"reason":"   "})"}) {
    auto response = f.call("POST", "/api/v1/nodes/beta/cordon", body);
    EXPECT_EQ(response.status, 400) << body;
    EXPECT_EQ(error_code_of(response), "invalid_argument");
    EXPECT_NE(error_message_of(response).find("--reason is required"), std::string::npos)
        << error_message_of(response);
  }
  EXPECT_TRUE(f.consensus.last_actor.empty()) << "nothing reached the agent";
}

TEST(ConsensusRoutes, CordonWithABadBodyIs400NamingTheField) {
  ConsensusFixture f;
  auto response = f.call("POST", "/api/v1/nodes/beta/cordon", R"({"reason":5})");
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(error_message_of(response).find("field 'reason' must be a string"), std::string::npos);
  EXPECT_EQ(f.call("POST", "/api/v1/nodes/beta/cordon", "[1]").status, 400);
  EXPECT_EQ(f.call("POST", "/api/v1/nodes/beta/cordon", "{oops").status, 400);
}

TEST(ConsensusRoutes, CordonOfAnUnknownNodeIs404NamingIt) {
  ConsensusFixture f;
  auto response = f.call("POST", "/api/v1/nodes/gamma/cordon", R"({"reason":"r"})");
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(error_message_of(response).find("'gamma'"), std::string::npos);
}

TEST(ConsensusRoutes, DoubleCordonIs409NamingTheExistingReason) {
  ConsensusFixture f;
  ASSERT_EQ(f.call("POST", "/api/v1/nodes/beta/cordon", R"({"reason":"first"})").status, 200);
  auto response = f.call("POST", "/api/v1/nodes/beta/cordon", R"({"reason":"second"})");
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(error_code_of(response), "conflict");
  EXPECT_NE(error_message_of(response).find("because first"), std::string::npos);
}

TEST(ConsensusRoutes, CordonWithoutQuorumIs503) {
  ConsensusFixture f;
  f.consensus.quorum = false;
  auto response = f.call("POST", "/api/v1/nodes/beta/cordon", R"({"reason":"r"})");
  EXPECT_EQ(response.status, 503);
  EXPECT_NE(error_message_of(response).find("no raft leader"), std::string::npos);
}

TEST(ConsensusRoutes, UncordonOfANodeThatIsNotCordonedIs409) {
  ConsensusFixture f;
  auto response = f.call("POST", "/api/v1/nodes/beta/uncordon");
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(error_message_of(response), "node beta is not cordoned");
  ASSERT_EQ(f.call("POST", "/api/v1/nodes/beta/cordon", R"({"reason":"r"})").status, 200);
  EXPECT_EQ(f.call("POST", "/api/v1/nodes/beta/uncordon", "{}").status, 200);
  EXPECT_FALSE(f.consensus.cordons.contains("beta"));
}

TEST(ConsensusRoutes, MutatingRoutesNeedTheTokenOverTcpAndRecordThePeer) {
  ConsensusFixture f(true, "s3cret");
  EXPECT_EQ(f.call("POST", "/api/v1/nodes/beta/cordon", R"({"reason":"r"})", PeerKind::tcp).status,
            401);
  EXPECT_EQ(f.call("POST", "/api/v1/raft/transfer", "", PeerKind::tcp).status, 401);
  auto response = f.call("POST", "/api/v1/nodes/beta/cordon", R"({"reason":"r"})", PeerKind::tcp,
                         "Bearer s3cret");
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(f.consensus.last_actor, "api:tcp:127.0.0.9");
  EXPECT_EQ(f.call("GET", "/api/v1/raft/leader", "", PeerKind::tcp).status, 200)
      << "reads need no token";
}

TEST(ConsensusRoutes, UnknownLeaseIs404ListingTheKnownOnes) {
  ConsensusFixture f;
  auto response = f.call("GET", "/api/v1/leases/nope");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(error_message_of(response), "no lease named 'nope'; known leases: lb-leader");
  EXPECT_EQ(f.call("GET", "/api/v1/leases/lb-leader").status, 200);
}

TEST(ConsensusRoutes, TransferTakesAnOptionalNodeAndRejectsOtherBodies) {
  ConsensusFixture f;
  EXPECT_EQ(f.call("POST", "/api/v1/raft/transfer").status, 200);
  EXPECT_EQ(f.call("POST", "/api/v1/raft/transfer", R"({"node":"beta"})").status, 200);
  EXPECT_EQ(f.consensus.transfers, (std::vector<std::string>{"", "beta"}));
  auto bad = f.call("POST", "/api/v1/raft/transfer", R"({"node":7})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(error_message_of(bad).find("{\"node\":\"NAME\"}"), std::string::npos);
}

TEST(ConsensusRoutes, LeaderNamesTheNode) {
  ConsensusFixture f;
  auto response = f.call("GET", "/api/v1/raft/leader");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(body_of(response)["leader"]["node"], "alpha");
}

TEST(ConsensusRoutes, EveryConsensusRouteIs503WhenRaftIsOff) {
  ConsensusFixture f(false);
  for (auto [method, target, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET", "/api/v1/raft/leader", ""},
           {"POST", "/api/v1/raft/transfer", ""},
           {"GET", "/api/v1/leases/lb-leader", ""},
           {"POST", "/api/v1/nodes/beta/cordon", R"({"reason":"r"})"},
           {"POST", "/api/v1/nodes/beta/uncordon", ""}}) {
    auto response = f.call(method, target, body);
    EXPECT_EQ(response.status, 503) << target;
    EXPECT_NE(error_message_of(response).find("raft is not running"), std::string::npos) << target;
  }
}

TEST(ConsensusRoutes, HelpListsTheConsensusRoutesAfterLeases) {
  ConsensusFixture f;
  auto routes = body_of(f.call("GET", "/api/v1/help"))["routes"];
  std::vector<std::string> paths;
  for (const auto& r : routes)
    paths.push_back(r["method"].get<std::string>() + " " + r["path"].get<std::string>());
  auto at = std::find(paths.begin(), paths.end(), "GET /api/v1/leases");
  ASSERT_NE(at, paths.end());
  std::vector<std::string> next(at + 1, at + 6);
  EXPECT_EQ(next, (std::vector<std::string>{"GET /api/v1/raft/leader", "POST /api/v1/raft/transfer",
                                            "GET /api/v1/leases/{name}",
                                            "POST /api/v1/nodes/{node}/cordon",
                                            "POST /api/v1/nodes/{node}/uncordon"}));
}

}  // namespace
}  // namespace constellation::api::testing
