// One Memberlist core driven by hand: what it answers to pings, how it refutes accusations,
// that a broadcast goes out exactly its transmit limit, how join retries back off, and that
// garbage is counted and changes nothing.
#include <gtest/gtest.h>

#include "agent/gossip/core_memberlist.hpp"
#include "agent/gossip/message_codec.hpp"
#include "agent/gossip/sim/simulator.hpp"

namespace constellation::gossip {
namespace {

const Instant kT0 = Instant{} + std::chrono::hours(1);

CoreConfig config_for(int index) {
  return sim::Simulator::node_config(index, Timing::fast(), 7);
}

/// Every message carried by the packets of `fx`.
std::vector<Message> sent_messages(const Effects& fx) {
  std::vector<Message> out;
  for (const OutPacket& p : fx.packets) {
    auto decoded = decode_packet(p.bytes, PacketOptions{});
    EXPECT_TRUE(decoded.has_value());
    if (decoded) out.insert(out.end(), decoded->messages.begin(), decoded->messages.end());
  }
  return out;
}

/// A core that knows nodes 1..peers as alive members.
Memberlist core_with_peers(int peers) {
  Memberlist core(config_for(0));
  PushPull roster;
  for (int i = 1; i <= peers; ++i) {
    const CoreConfig c = config_for(i);
    roster.nodes.push_back(PushNodeState{.name = c.name,
                                         .addr = c.address.ip,
                                         .port = c.address.port,
                                         .incarnation = 1,
                                         .vsn = c.vsn});
  }
  core.bootstrap(kT0, roster);
  return core;
}

TEST(Core, AnswersAPingWithAnAckToTheAdvertisedSource) {
  Memberlist core(config_for(0));
  const CoreConfig peer = config_for(1);
  Ping ping{.seq_no = 77,
            .node = "node-0",
            .source_addr = peer.address.ip,
            .source_port = peer.address.port,
            .source_node = peer.name};
  auto fx = core.handle_packet(kT0, Address{Bytes{9, 9, 9, 9}, 1}, encode(ping));
  ASSERT_EQ(fx.packets.size(), 1u);
  EXPECT_EQ(fx.packets[0].to, peer.address);
  auto messages = sent_messages(fx);
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(std::get<AckResp>(messages[0]).seq_no, 77u);
}

TEST(Core, IgnoresAPingMeantForAnotherNode) {
  Memberlist core(config_for(0));
  auto fx = core.handle_packet(kT0, config_for(1).address,
                               encode(Ping{.seq_no = 1, .node = "someone-else"}));
  EXPECT_TRUE(fx.packets.empty());
}

TEST(Core, RefutesASuspicionAboutItselfWithAHigherIncarnation) {
  Memberlist core = core_with_peers(3);
  const std::uint32_t before = core.self().incarnation;
  core.handle_packet(kT0, config_for(1).address,
                     encode(Suspect{.incarnation = before, .node = "node-0", .from = "node-1"}));
  EXPECT_EQ(core.self().incarnation, before + 1);
  EXPECT_EQ(core.self().state, MemberState::alive);
  EXPECT_EQ(core.awareness_score(), 1);
  // The refutation rides the next packet: any ping we answer carries alive(node-0, inc+1).
  auto fx =
      core.handle_packet(kT0, config_for(1).address, encode(Ping{.seq_no = 5, .node = "node-0"}));
  bool refuted = false;
  for (const Message& m : sent_messages(fx)) {
    if (auto* a = std::get_if<Alive>(&m))
      refuted |= a->node == "node-0" && a->incarnation == before + 1;
  }
  EXPECT_TRUE(refuted);
}

TEST(Core, RefutesADeadMessageAboutItselfUnlessLeaving) {
  Memberlist core = core_with_peers(2);
  core.handle_packet(kT0, config_for(1).address,
                     encode(Dead{.incarnation = 4, .node = "node-0", .from = "node-1"}));
  EXPECT_EQ(core.self().incarnation, 5u);
  EXPECT_EQ(core.self().state, MemberState::alive);
}

TEST(Core, SendsAUserBroadcastExactlyItsTransmitLimit) {
  Memberlist core = core_with_peers(3);
  ASSERT_TRUE(core.queue_user_broadcast(Bytes{'h', 'i'}).has_value());
  int carried = 0;
  Instant now = kT0;
  core.start(now);
  for (int i = 0; i < 200; ++i) {
    now += Millis{50};
    for (const Message& m : sent_messages(core.tick(now))) {
      if (auto* u = std::get_if<UserMsg>(&m)) carried += u->payload == Bytes{'h', 'i'};
    }
  }
  EXPECT_EQ(carried, retransmit_limit(Timing::fast().retransmit_mult, 4));
  EXPECT_EQ(core.queued_broadcasts(), 0u);
}

TEST(Core, RefusesAUserBroadcastLargerThanADatagram) {
  Memberlist core(config_for(0));
  EXPECT_FALSE(core.queue_user_broadcast(Bytes(2000, 'x')).has_value());
}

TEST(Core, RefusesMetaOverFiveHundredTwelveBytes) {
  Memberlist core(config_for(0));
  auto result = core.set_local_meta(kT0, Bytes(513, 'm'));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::too_large);
}

TEST(Core, JoinRetriesWithDoublingBackoffWhileNoSeedAnswers) {
  Memberlist core(config_for(0));
  auto fx = core.join(kT0, {config_for(1).address});
  ASSERT_EQ(fx.streams.size(), 1u);
  EXPECT_EQ(fx.streams[0].kind, StreamKind::join);
  std::vector<Millis> gaps;
  Instant now = kT0;
  std::uint64_t id = fx.streams[0].id;
  for (int attempt = 0; attempt < 3; ++attempt) {
    core.handle_stream_reply(now, id, std::nullopt);
    const Instant failed_at = now;
    // Step in 100 ms until the core asks again.
    std::optional<StreamRequest> again;
    while (!again && now < failed_at + Millis{60000}) {
      now += Millis{100};
      for (StreamRequest& r : core.tick(now).streams) {
        if (r.kind == StreamKind::join) again = r;
      }
    }
    ASSERT_TRUE(again);
    gaps.push_back(std::chrono::duration_cast<Millis>(now - failed_at));
    id = again->id;
  }
  EXPECT_EQ(gaps, (std::vector<Millis>{Millis{1000}, Millis{2000}, Millis{4000}}));
}

TEST(Core, GarbageIsCountedAndChangesNothing) {
  Memberlist core = core_with_peers(2);
  const Bytes garbage{0x04, 0xff, 0x00, 0x13};
  auto fx = core.handle_packet(kT0, config_for(1).address, garbage);
  EXPECT_EQ(fx.dropped.size(), 1u);
  EXPECT_TRUE(fx.events.empty());
  EXPECT_EQ(core.members().size(), 3u);
  EXPECT_EQ(core.self().incarnation, 1u);
}

TEST(Core, AliveWithAnOldIncarnationIsIgnoredAndANewerOneIsAccepted) {
  Memberlist core = core_with_peers(1);
  const CoreConfig peer = config_for(1);
  Alive alive{.incarnation = 1,
              .node = peer.name,
              .addr = peer.address.ip,
              .port = peer.address.port,
              .meta = Bytes{'x'},
              .vsn = peer.vsn};
  auto fx = core.handle_packet(kT0, peer.address, *encode(alive));
  EXPECT_TRUE(fx.events.empty());
  alive.incarnation = 2;
  fx = core.handle_packet(kT0, peer.address, *encode(alive));
  ASSERT_EQ(fx.events.size(), 1u);
  EXPECT_EQ(fx.events[0].kind, MemberEventKind::update);
  EXPECT_EQ(core.members().find(peer.name)->meta, Bytes{'x'});
}

TEST(Core, RelaysAnIndirectPingAckWithTheRequestersSequenceNumber) {
  Memberlist helper(config_for(0));
  const CoreConfig requester = config_for(1), target = config_for(2);
  IndirectPing request{.seq_no = 900,
                       .target = target.address.ip,
                       .port = target.address.port,
                       .node = target.name,
                       .nack = true,
                       .source_addr = requester.address.ip,
                       .source_port = requester.address.port,
                       .source_node = requester.name};
  auto fx = helper.handle_packet(kT0, requester.address, encode(request));
  ASSERT_EQ(fx.packets.size(), 1u);
  EXPECT_EQ(fx.packets[0].to, target.address);
  const Ping ping = std::get<Ping>(sent_messages(fx).at(0));
  EXPECT_EQ(ping.node, target.name);
  fx = helper.handle_packet(kT0 + Millis{10}, target.address,
                            encode(AckResp{.seq_no = ping.seq_no}));
  ASSERT_EQ(fx.packets.size(), 1u);
  EXPECT_EQ(fx.packets[0].to, requester.address);
  EXPECT_EQ(std::get<AckResp>(sent_messages(fx).at(0)).seq_no, 900u);
}

TEST(Core, NacksAnIndirectPingWhoseTargetStaysSilent) {
  Memberlist helper(config_for(0));
  const CoreConfig requester = config_for(1), target = config_for(2);
  IndirectPing request{.seq_no = 901,
                       .target = target.address.ip,
                       .port = target.address.port,
                       .node = target.name,
                       .nack = true};
  auto fx = helper.handle_packet(kT0, requester.address, encode(request));
  ASSERT_TRUE(fx.next_wakeup);
  EXPECT_LE(*fx.next_wakeup, kT0 + Timing::fast().probe_timeout);
  fx = helper.tick(kT0 + Timing::fast().probe_timeout);
  ASSERT_EQ(fx.packets.size(), 1u);
  EXPECT_EQ(fx.packets[0].to, requester.address);
  EXPECT_EQ(std::get<NackResp>(sent_messages(fx).at(0)).seq_no, 901u);
}

TEST(Core, TcpFallbackAckSavesAProbeWhoseUdpIsLost) {
  Memberlist core = core_with_peers(1);
  Instant now = kT0;
  auto fx = core.start(now);
  std::optional<std::uint32_t> seq;
  std::optional<StreamRequest> tcp_ping;
  // Drop every datagram; answer only the TCP ping the core falls back to.
  for (int i = 0; i < 100 && !tcp_ping; ++i) {
    now += Millis{50};
    fx = core.tick(now);
    for (const Message& m : sent_messages(fx)) {
      if (auto* p = std::get_if<Ping>(&m)) seq = p->seq_no;
    }
    for (StreamRequest& r : fx.streams) {
      if (r.kind == StreamKind::ping) tcp_ping = r;
    }
  }
  ASSERT_TRUE(seq && tcp_ping);
  EXPECT_EQ(tcp_ping->to, config_for(1).address);
  fx = core.handle_stream_reply(now, tcp_ping->id, encode(AckResp{.seq_no = *seq}));
  EXPECT_TRUE(fx.failed_probes.empty());
  // At the probe's deadline nothing fails: the TCP ack completed it.
  fx = core.tick(tcp_ping->deadline);
  EXPECT_TRUE(fx.failed_probes.empty());
  EXPECT_TRUE(fx.events.empty());
  EXPECT_EQ(core.members().find("node-1")->state, MemberState::alive);
  EXPECT_EQ(core.awareness_score(), 0);
}

TEST(Core, UnansweredProbeChainSuspectsTheTarget) {
  Memberlist core = core_with_peers(1);
  Instant now = kT0;
  core.start(now);
  std::vector<std::string> failed;
  std::vector<MemberEvent> events;
  for (int i = 0; i < 40 && failed.empty(); ++i) {
    now += Millis{50};
    auto fx = core.tick(now);
    failed.insert(failed.end(), fx.failed_probes.begin(), fx.failed_probes.end());
    events.insert(events.end(), fx.events.begin(), fx.events.end());
  }
  ASSERT_EQ(failed, std::vector<std::string>{"node-1"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, MemberEventKind::suspect);
  EXPECT_EQ(events[0].by, "node-0");
  // No helpers to nack: the failed probe itself costs one awareness point.
  EXPECT_EQ(core.awareness_score(), 1);
  ASSERT_EQ(core.suspicions().count("node-1"), 1u);
}

TEST(Core, RestartedNodeRefutesItsOldStateLearnedInTheJoinReply) {
  for (const NodeState old_state : {NodeState::dead, NodeState::left}) {
    Memberlist core(config_for(0));
    const CoreConfig seed = config_for(1);
    auto fx = core.join(kT0, {seed.address});
    ASSERT_EQ(fx.streams.size(), 1u);
    PushPull reply{.join = false,
                   .nodes = {PushNodeState{.name = "node-0",
                                           .addr = config_for(0).address.ip,
                                           .port = 7946,
                                           .incarnation = 3,
                                           .state = old_state,
                                           .vsn = kSerfVersions},
                             PushNodeState{.name = seed.name,
                                           .addr = seed.address.ip,
                                           .port = seed.address.port,
                                           .incarnation = 1,
                                           .vsn = kSerfVersions}}};
    fx = core.handle_stream_reply(kT0 + Millis{5}, fx.streams[0].id, *encode_push_pull(reply));
    EXPECT_EQ(fx.joined, std::optional<std::size_t>{1});
    EXPECT_EQ(core.self().incarnation, 4u);
    EXPECT_EQ(core.self().state, MemberState::alive);
    ASSERT_NE(core.members().find(seed.name), nullptr);
    EXPECT_EQ(core.members().find(seed.name)->state, MemberState::alive);
  }
}

TEST(Core, ValidateAcceptsBothProfilesAndNamesTheBadField) {
  CoreConfig config = config_for(0);
  EXPECT_TRUE(validate(config).has_value());
  config.timing = Timing::lan();
  EXPECT_TRUE(validate(config).has_value());
  config.timing.probe_timeout = Millis{1500};
  auto result = validate(config);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(result.error().message.find("probe timeout"), std::string::npos);
  config = config_for(0);
  config.name.clear();
  EXPECT_FALSE(validate(config).has_value());
  config = config_for(0);
  config.meta = Bytes(600, 'm');
  EXPECT_FALSE(validate(config).has_value());
}

}  // namespace
}  // namespace constellation::gossip
