// Reliable user messages in the sans-IO core (memberlist's SendReliable): the sender asks for
// a `user` stream to the member's address, the receiver delivers the payload as a user message
// without a reply, encryption applies as on every stream, and unknown or dead members are
// refused with not_found.
#include <gtest/gtest.h>

#include "agent/gossip/core_memberlist.hpp"
#include "agent/gossip/sim/simulator.hpp"

namespace constellation::gossip {
namespace {

const Instant kT0 = Instant{} + std::chrono::hours(1);

CoreConfig config_for(int index, const Keyring* keyring = nullptr) {
  CoreConfig config = sim::Simulator::node_config(index, Timing::fast(), 7);
  config.packet.keyring = keyring;
  return config;
}

/// Makes `core` know `peer` as an alive (or other-state) member.
void learn(Memberlist& core, const CoreConfig& peer, NodeState state = NodeState::alive) {
  PushPull roster;
  roster.nodes.push_back(PushNodeState{.name = peer.name,
                                       .addr = peer.address.ip,
                                       .port = peer.address.port,
                                       .meta = {},
                                       .incarnation = 1,
                                       .state = state,
                                       .vsn = peer.vsn});
  core.bootstrap(kT0, roster);
}

TEST(ReliableMessage, OpensAUserStreamToTheMemberAndThePeerDeliversItWithoutReply) {
  Memberlist sender(config_for(0));
  Memberlist receiver(config_for(1));
  learn(sender, receiver.config());
  auto fx = sender.send_reliable(kT0, "node-1", Bytes{0xC3, 'h', 'i'});
  ASSERT_TRUE(fx.has_value()) << fx.error().message;
  ASSERT_EQ(fx->streams.size(), 1u);
  EXPECT_EQ(fx->streams[0].kind, StreamKind::user);
  EXPECT_EQ(fx->streams[0].to, receiver.config().address);
  EXPECT_EQ(fx->streams[0].bytes[0], 8);  // memberlist's userMsg type, in the clear

  auto in = receiver.handle_stream(kT0, sender.config().address, fx->streams[0].bytes);
  ASSERT_EQ(in.user_messages.size(), 1u);
  EXPECT_EQ(in.user_messages[0], (Bytes{0xC3, 'h', 'i'}));
  EXPECT_FALSE(in.stream_reply.has_value());
  // The transport reports the end of a reply-less stream as "no reply": nothing breaks.
  auto done = sender.handle_stream_reply(kT0, fx->streams[0].id, std::nullopt);
  EXPECT_TRUE(done.events.empty());
}

TEST(ReliableMessage, IsEncryptedLikeEveryStreamAndOnlyAKeyHolderReadsIt) {
  static const Keyring keyring = *Keyring::create({Bytes(32, 0x42)});
  static const Keyring other = *Keyring::create({Bytes(32, 0x17)});
  Memberlist sender(config_for(0, &keyring));
  Memberlist receiver(config_for(1, &keyring));
  Memberlist stranger(config_for(2, &other));
  learn(sender, receiver.config());
  auto fx = sender.send_reliable(kT0, "node-1", Bytes(3000, 'x'));
  ASSERT_TRUE(fx.has_value());
  const Bytes& wire = fx->streams.at(0).bytes;
  EXPECT_EQ(wire[0], 10);  // encryptMsg frame
  EXPECT_EQ(receiver.handle_stream(kT0, sender.config().address, wire).user_messages.at(0),
            Bytes(3000, 'x'));
  auto refused = stranger.handle_stream(kT0, sender.config().address, wire);
  EXPECT_TRUE(refused.user_messages.empty());
  EXPECT_FALSE(refused.dropped.empty());
}

TEST(ReliableMessage, RefusesUnknownDeadAndSelfWithNotFound) {
  Memberlist sender(config_for(0));
  learn(sender, config_for(2), NodeState::dead);
  for (const char* name : {"nobody", "node-2", "node-0"}) {
    auto fx = sender.send_reliable(kT0, name, Bytes{1});
    ASSERT_FALSE(fx.has_value()) << name;
    EXPECT_EQ(fx.error().code, ErrorCode::not_found) << name;
    EXPECT_NE(fx.error().message.find(name), std::string::npos) << fx.error().message;
  }
}

}  // namespace
}  // namespace constellation::gossip
