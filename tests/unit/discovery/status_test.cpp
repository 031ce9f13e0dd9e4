// The Tailscale status parser and peer filter against recorded documents in the documented
// shape: peers with and without Tags, an offline peer, IPv6-only, NeedsLogin, malformed JSON.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "agent/discovery/discovery_service.hpp"
#include "agent/discovery/tailscale_status.hpp"

using namespace constellation;
using namespace constellation::discovery;

namespace {
std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CONSTELLATION_TAILSCALE_FIXTURES) + "/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << "missing fixture " << name;
  return text.str();
}

std::vector<std::string> names(const std::vector<TailnetPeer>& peers) {
  std::vector<std::string> out;
  for (const auto& peer : peers) out.push_back(peer.name);
  return out;
}
}  // namespace

TEST(TailnetStatus, ReadsSelfAndEveryPeerOfTheNodeKeyMap) {
  auto status = parse_tailnet_status(fixture("running.json"));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->backend_state, "Running");
  EXPECT_EQ(status->self.name, "cloudserver-1");
  EXPECT_EQ(status->self.dns_name, "cloudserver-1.tail1234.ts.net");
  EXPECT_EQ(status->self.ipv4(), "100.64.0.1");
  EXPECT_EQ(names(status->peers),
            (std::vector<std::string>{"Alices-Laptop", "db", "web-1", "web-2"}));
}

TEST(TailnetStatus, StripsTheTrailingDotAndKeepsTagsAndAddressesInOrder) {
  auto status = parse_tailnet_status(fixture("running.json")).value();
  const auto& web1 = status.peers[2];
  EXPECT_EQ(web1.dns_name, "web-1.tail1234.ts.net");
  EXPECT_EQ(web1.ips, (std::vector<std::string>{"100.64.0.2", "fd7a:115c:a1e0::2"}));
  EXPECT_EQ(web1.tags, (std::vector<std::string>{"tag:constellation", "tag:server"}));
  EXPECT_TRUE(web1.online);
}

TEST(TailnetStatus, APeerWithoutTagsHasAnEmptyTagList) {
  auto status = parse_tailnet_status(fixture("running.json")).value();
  EXPECT_EQ(status.peers[0].name, "Alices-Laptop");
  EXPECT_TRUE(status.peers[0].tags.empty());
}

TEST(TailnetStatus, AnIpv6OnlyPeerHasNoIpv4) {
  auto status = parse_tailnet_status(fixture("running.json")).value();
  EXPECT_EQ(status.peers[1].name, "db");
  EXPECT_EQ(status.peers[1].ipv4(), "");
  EXPECT_EQ(status.peers[1].ips, (std::vector<std::string>{"fd7a:115c:a1e0::5"}));
}

TEST(PeerSelection, LeavesOutOfflinePeersAndSelf) {
  auto status = parse_tailnet_status(fixture("running.json")).value();
  EXPECT_EQ(names(select_peers(status, {})),
            (std::vector<std::string>{"Alices-Laptop", "db", "web-1"}));
}

TEST(PeerSelection, KeepsOnlyPeersWithTheTag) {
  auto status = parse_tailnet_status(fixture("running.json")).value();
  EXPECT_EQ(names(select_peers(status, {.tag = "tag:constellation", .name_pattern = {}})),
            (std::vector<std::string>{"db", "web-1"}));
  EXPECT_EQ(names(select_peers(status, {.tag = "tag:server", .name_pattern = {}})),
            (std::vector<std::string>{"web-1"}));
  EXPECT_TRUE(select_peers(status, {.tag = "tag:nobody", .name_pattern = {}}).empty());
}

TEST(PeerSelection, MatchesTheNamePatternOnHostOrDnsNameIgnoringCase) {
  auto status = parse_tailnet_status(fixture("running.json")).value();
  EXPECT_EQ(names(select_peers(status, {.tag = {}, .name_pattern = "web-*"})),
            (std::vector<std::string>{"web-1"}));
  EXPECT_EQ(names(select_peers(status, {.tag = {}, .name_pattern = "ALICES-*"})),
            (std::vector<std::string>{"Alices-Laptop"}));
  EXPECT_EQ(names(select_peers(status, {.tag = {}, .name_pattern = "*.tail1234.ts.net"})),
            (std::vector<std::string>{"Alices-Laptop", "db", "web-1"}));
  EXPECT_EQ(names(select_peers(status, {.tag = "tag:constellation", .name_pattern = "d?"})),
            (std::vector<std::string>{"db"}));
}

TEST(TailnetStatus, NeedsLoginParsesButIsAnErrorThatSaysWhatToDo) {
  auto status = parse_tailnet_status(fixture("needs_login.json"));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_TRUE(status->peers.empty());
  auto running = require_running(*status);
  ASSERT_FALSE(running);
  EXPECT_EQ(running.error().code, ErrorCode::unavailable);
  EXPECT_NE(running.error().message.find("NeedsLogin"), std::string::npos);
  EXPECT_NE(running.error().message.find("tailscale up"), std::string::npos);
  EXPECT_FALSE(discover_from_document(fixture("needs_login.json"), {}));
}

TEST(TailnetStatus, MalformedJsonIsAnErrorNotACrash) {
  auto status = parse_tailnet_status(fixture("truncated.json"));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(status.error().message.find("not valid JSON"), std::string::npos);
  EXPECT_FALSE(parse_tailnet_status(""));
  EXPECT_FALSE(parse_tailnet_status("[1,2]"));
  EXPECT_FALSE(parse_tailnet_status(R"({"BackendState":"Running","Peer":[]})"));
}

TEST(TailnetStatus, AFieldOfTheWrongTypeIsNamedInTheError) {
  auto status = parse_tailnet_status(fixture("peer_wrong_type.json"));
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("Peer[nodekey:2222].TailscaleIPs"), std::string::npos)
      << status.error().message;
}

TEST(Discovery, ADocumentBecomesSelectedPeersAndSelfsIpv4) {
  auto found = discover_from_document(fixture("running.json"),
                                      {.tag = "tag:constellation", .name_pattern = {}});
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->self_ipv4, "100.64.0.1");
  EXPECT_EQ(names(found->peers), (std::vector<std::string>{"db", "web-1"}));
}

TEST(JoinCandidates, OneAddressPerPeerPreferringIpv4AtTheClusterPort) {
  auto status = parse_tailnet_status(fixture("running.json")).value();
  auto peers = select_peers(status, {.tag = "tag:constellation", .name_pattern = {}});
  EXPECT_EQ(join_candidates(peers, 7946, {}),
            (std::vector<std::string>{"[fd7a:115c:a1e0::5]:7946", "100.64.0.2:7946"}));
}

TEST(JoinCandidates, SkipsPeersThatAreAlreadyMembersUnderAnyOfTheirAddresses) {
  auto status = parse_tailnet_status(fixture("running.json")).value();
  auto peers = select_peers(status, {});
  EXPECT_EQ(join_candidates(peers, 7000, {"100.64.0.2:7000", "[fd7a:115c:a1e0::3]:7000"}),
            (std::vector<std::string>{"[fd7a:115c:a1e0::5]:7000"}));
  // A member at another port is a different node: still joined.
  EXPECT_EQ(join_candidates(peers, 7000, {"100.64.0.2:7946"}).size(), 3u);
}
