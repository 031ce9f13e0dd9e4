// GossipService over real loopback sockets, two services on one io_context: they join and
// list each other alive, a graceful stop is seen as `left`, and garbage datagrams are counted
// per reason without touching the member table. Loops run until a condition holds or a
// generous deadline passes; nothing asserts on timing.
#include <gtest/gtest.h>

#include <thread>

#include "agent/gossip/transport.hpp"

using namespace constellation;
using namespace constellation::gossip;

namespace {
constexpr auto kDeadline = std::chrono::seconds(30);

ServiceOptions loopback(std::string name) {
  ServiceOptions options;
  options.node = std::move(name);
  options.bind_host = "127.0.0.1";
  options.bind_port = 0;
  return options;
}

template <typename Pred>
bool run_until(asio::io_context& loop, Pred done) {
  auto until = std::chrono::steady_clock::now() + kDeadline;
  while (!done() && std::chrono::steady_clock::now() < until)
    loop.run_for(std::chrono::milliseconds(20));
  return done();
}

std::string member_state(const GossipService& service, const std::string& name) {
  const Member* member = service.core()->members().find(name);
  return member ? std::string(member_state_name(member->state)) : "";
}
}  // namespace

TEST(ResolveAddress, DefaultsThePortTo7946AndParsesHostPortForms) {
  auto bare = resolve_address("127.0.0.1");
  ASSERT_TRUE(bare) << bare.error().message;
  EXPECT_EQ(bare->to_string(), "127.0.0.1:7946");
  auto with_port = resolve_address("10.1.2.3:8000");
  ASSERT_TRUE(with_port);
  EXPECT_EQ(with_port->to_string(), "10.1.2.3:8000");
  auto v6 = resolve_address("[::1]:9000");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->port, 9000);
  EXPECT_EQ(v6->ip.size(), 16u);
}

TEST(ResolveAddress, RejectsBadPortsAndEmptyHosts) {
  EXPECT_EQ(resolve_address("127.0.0.1:0").error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(resolve_address("127.0.0.1:70000").error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(resolve_address("127.0.0.1:x").error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(resolve_address(":7946").error().code, ErrorCode::invalid_argument);
}

TEST(GossipService, PortZeroBindsAFreePortAndAdvertisesIt) {
  asio::io_context loop;
  GossipService service(loop, loopback("solo"), {});
  ASSERT_TRUE(service.start());
  EXPECT_NE(service.port(), 0);
  EXPECT_EQ(service.address(), "127.0.0.1:" + std::to_string(service.port()));
  EXPECT_EQ(service.status_json()["members"], 1);
  service.stop();
  loop.run_for(std::chrono::seconds(1));
}

TEST(GossipService, TwoServicesJoinThenAGracefulStopIsSeenAsLeft) {
  asio::io_context loop;
  std::vector<std::string> seen_by_first;
  GossipService first(loop, loopback("first"), [&](const MemberEvent& event) {
    seen_by_first.push_back(std::string(member_event_name(event.kind)) + ":" + event.name);
  });
  ASSERT_TRUE(first.start());
  auto second_options = loopback("second");
  second_options.join = {"127.0.0.1:" + std::to_string(first.port())};
  GossipService second(loop, second_options, {});
  ASSERT_TRUE(second.start());

  ASSERT_TRUE(run_until(loop, [&] {
    return member_state(first, "second") == "alive" && member_state(second, "first") == "alive";
  }));
  EXPECT_EQ(first.members_json()["members"].size(), 2u);
  EXPECT_NE(std::find(seen_by_first.begin(), seen_by_first.end(), "join:second"),
            seen_by_first.end());

  second.stop();
  EXPECT_TRUE(run_until(loop, [&] { return member_state(first, "second") == "left"; }));
  EXPECT_NE(std::find(seen_by_first.begin(), seen_by_first.end(), "left:second"),
            seen_by_first.end());
  first.stop();
  loop.run_for(std::chrono::seconds(1));
}

TEST(GossipService, ADnsNameIsResolvedOffTheLoopAndJoinedWhenTheAnswerIsPostedBack) {
  asio::io_context loop;
  asio::thread_pool workers(1);
  GossipService first(loop, loopback("first"), {});
  ASSERT_TRUE(first.start());
  auto second_options = loopback("second");
  std::thread::id loop_thread = std::this_thread::get_id(), lookup_thread;
  int offloaded = 0;
  second_options.offload = [&](std::function<void()> job) {
    ++offloaded;
    asio::post(workers, [&lookup_thread, job = std::move(job)] {
      lookup_thread = std::this_thread::get_id();
      job();
    });
  };
  GossipService second(loop, second_options, {});
  ASSERT_TRUE(second.start());

  auto joining = second.join({"localhost:" + std::to_string(first.port()), "127.0.0.1:bad"});
  ASSERT_TRUE(joining) << joining.error().message;
  EXPECT_EQ(*joining, (std::vector<std::string>{"localhost:" + std::to_string(first.port())}));
  EXPECT_EQ(offloaded, 1);
  ASSERT_TRUE(run_until(loop, [&] { return member_state(second, "first") == "alive"; }));
  EXPECT_NE(lookup_thread, loop_thread);

  auto nothing = second.join({"127.0.0.1:bad", ":7946"});
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().code, ErrorCode::invalid_argument);
  second.stop();
  first.stop();
  loop.run_for(std::chrono::seconds(1));
  workers.join();
}

TEST(ParseAddress, MarksIpLiteralsAndLeavesNamesForALookup) {
  auto literal = parse_address("10.0.0.1:8000");
  ASSERT_TRUE(literal);
  ASSERT_TRUE(literal->ip);
  EXPECT_EQ(literal->ip->to_string(), "10.0.0.1:8000");
  auto name = parse_address("node-a.tail1234.ts.net");
  ASSERT_TRUE(name);
  EXPECT_FALSE(name->ip);
  EXPECT_EQ(name->host, "node-a.tail1234.ts.net");
  EXPECT_EQ(name->port, 7946);
}

TEST(GossipService, GarbageDatagramsAreCountedAsDroppedAndChangeNoMember) {
  asio::io_context loop;
  GossipService service(loop, loopback("target"), {});
  ASSERT_TRUE(service.start());
  asio::ip::udp::socket sender(loop, asio::ip::udp::endpoint(asio::ip::udp::v4(), 0));
  const std::uint8_t garbage[] = {0xee, 0x01, 0x02};
  sender.send_to(asio::buffer(garbage),
                 asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), service.port()));
  ASSERT_TRUE(run_until(loop, [&] { return !service.dropped().empty(); }));
  EXPECT_EQ(service.dropped().begin()->second, 1u);
  EXPECT_EQ(service.core()->members().size(), 1u);
  service.stop();
  loop.run_for(std::chrono::seconds(1));
}

TEST(GossipService, SharedKeyringJoinsWhileAWrongKeyIsDroppedAsDecryptFailed) {
  auto keyring = [](std::uint8_t fill) { return Keyring::create({Bytes(16, fill)}).value(); };
  asio::io_context loop;
  auto first_options = loopback("first");
  first_options.keyring = keyring(1);
  GossipService first(loop, first_options, {});
  ASSERT_TRUE(first.start());
  const std::string seed = "127.0.0.1:" + std::to_string(first.port());

  auto intruder_options = loopback("intruder");
  intruder_options.keyring = keyring(2);
  intruder_options.join = {seed};
  GossipService intruder(loop, intruder_options, {});
  ASSERT_TRUE(intruder.start());
  auto friend_options = loopback("friend");
  friend_options.keyring = keyring(1);
  friend_options.join = {seed};
  GossipService friendly(loop, friend_options, {});
  ASSERT_TRUE(friendly.start());

  ASSERT_TRUE(run_until(loop, [&] { return member_state(first, "friend") == "alive"; }));
  ASSERT_TRUE(run_until(loop, [&] { return first.dropped().contains("decrypt_failed"); }));
  EXPECT_EQ(member_state(first, "intruder"), "");
  EXPECT_EQ(member_state(intruder, "first"), "");
  for (auto* service : {&first, &intruder, &friendly}) service->stop();
  loop.run_for(std::chrono::seconds(1));
}

TEST(GossipService, AReliableMessageArrivesOverTcpAtThePeersApplicationEncrypted) {
  asio::io_context loop;
  auto with_key = [](std::string name) {
    auto options = loopback(std::move(name));
    options.keyring = Keyring::create({Bytes(16, 7)}).value();
    return options;
  };
  GossipService first(loop, with_key("first"), {});
  ASSERT_TRUE(first.start());
  auto second_options = with_key("second");
  second_options.join = {"127.0.0.1:" + std::to_string(first.port())};
  GossipService second(loop, second_options, {});
  std::vector<Bytes> received;
  second.set_application(GossipService::Application{.on_message =
                                                        [&](std::span<const std::uint8_t> bytes) {
                                                          received.emplace_back(bytes.begin(),
                                                                                bytes.end());
                                                        },
                                                    .on_state = {}});
  ASSERT_TRUE(second.start());
  ASSERT_TRUE(run_until(loop, [&] { return member_state(first, "second") == "alive"; }));

  // Far bigger than a datagram: only a stream can carry it.
  Bytes big(100000, 0xAB);
  big[0] = 0xC3;
  ASSERT_TRUE(first.send_reliable("second", big));
  ASSERT_TRUE(run_until(loop, [&] { return !received.empty(); }));
  EXPECT_EQ(received.front(), big);

  auto unknown = first.send_reliable("nobody", Bytes{1});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  second.stop();
  first.stop();
  loop.run_for(std::chrono::seconds(1));
}
