// Memberlist core, part 2: the membership rules of memberlist's aliveNode, suspectNode and
// deadNode (incarnation ordering, re-gossip of news, suspicion timers with confirmations) and
// refutation, where a node accused of being suspect or dead outbids the accusation.
#include <algorithm>

#include "agent/gossip/core_memberlist.hpp"
#include "agent/gossip/message_codec.hpp"

namespace constellation::gossip {
namespace {

/// Broadcast keys: memberlist messages are keyed by node, user broadcasts by their own key;
/// the prefix keeps the two namespaces apart.
std::string node_key(const std::string& node) {
  return std::string(1, '\0') + node;
}

}  // namespace

Alive Memberlist::alive_of(const Member& member) const {
  return Alive{.incarnation = member.incarnation,
               .node = member.name,
               .addr = member.address.ip,
               .port = member.address.port,
               .meta = member.meta,
               .vsn = member.vsn};
}

void Memberlist::broadcast(const std::string& node, const Bytes& command) {
  if (quiet_) return;
  broadcasts_.push(node_key(node), command);
}

void Memberlist::broadcast_self_alive() {
  auto command = encode(alive_of(self()));
  if (command) broadcast(config_.name, *command);
}

void Memberlist::refute(std::uint32_t accused) {
  Member& me = *members_.find(config_.name);
  me.incarnation = std::max(me.incarnation, accused) + 1;
  // Being accused hints that we are the slow one (Lifeguard).
  awareness_.apply_delta(1);
  broadcast_self_alive();
}

void Memberlist::on_alive(Instant now, const Alive& alive, Effects& fx) {
  if (alive.node.empty()) return;
  if (alive.vsn.pmin == 0 || alive.vsn.pmax == 0 || alive.vsn.pmin > alive.vsn.pmax) return;
  if (alive.node == config_.name) {
    const Member& me = self();
    if (alive.incarnation < me.incarnation) return;
    if (alive.incarnation == me.incarnation && alive.meta == me.meta && alive.vsn == me.vsn) return;
    if (!leaving_) refute(alive.incarnation);
    return;
  }
  const Address address{alive.addr, alive.port};
  Member* member = members_.find(alive.node);
  const bool is_new = member == nullptr;
  if (is_new) {
    member = &members_.insert(Member{.name = alive.node,
                                     .address = address,
                                     .meta = alive.meta,
                                     .incarnation = alive.incarnation,
                                     .state = MemberState::dead,
                                     .state_change = now,
                                     .vsn = alive.vsn},
                              rng_);
  } else if (alive.incarnation <= member->incarnation &&
             !(member->state == MemberState::left && member->address != address)) {
    return;
  }
  suspicions_.erase(alive.node);
  if (!quiet_) {
    if (auto command = encode(alive)) broadcast(alive.node, *command);
  }
  const MemberState old = member->state;
  const bool changed = !is_new && (member->meta != alive.meta || member->address != address);
  member->incarnation = alive.incarnation;
  member->meta = alive.meta;
  member->address = address;
  member->vsn = alive.vsn;
  if (old != MemberState::alive) {
    member->state = MemberState::alive;
    member->state_change = now;
  }
  MemberEventKind kind;
  if (is_new || old == MemberState::dead || old == MemberState::left) {
    kind = MemberEventKind::join;
  } else if (old == MemberState::suspect) {
    kind = MemberEventKind::alive;
  } else if (changed) {
    kind = MemberEventKind::update;
  } else {
    return;
  }
  fx.events.push_back(MemberEvent{kind, alive.node, alive.incarnation, address, alive.node});
}

void Memberlist::on_suspect(Instant now, const Suspect& suspect, Effects& fx) {
  Member* member = members_.find(suspect.node);
  if (!member || suspect.incarnation < member->incarnation) return;
  if (auto timer = suspicions_.find(suspect.node); timer != suspicions_.end()) {
    if (timer->second.confirm(suspect.from)) broadcast(suspect.node, encode(suspect));
    return;
  }
  if (member->state != MemberState::alive) return;
  if (suspect.node == config_.name) {
    refute(suspect.incarnation);
    return;
  }
  broadcast(suspect.node, encode(suspect));
  member->incarnation = suspect.incarnation;
  member->state = MemberState::suspect;
  member->state_change = now;
  const std::size_t n = members_.size();
  std::size_t k = static_cast<std::size_t>(std::max(0, config_.timing.suspicion_mult - 2));
  if (n < 2 || n - 2 < k) k = 0;
  const Millis min =
      suspicion_min_timeout(config_.timing.suspicion_mult, n, config_.timing.probe_interval);
  const Millis max = min * config_.timing.suspicion_max_timeout_mult;
  suspicions_.emplace(suspect.node, Suspicion(suspect.from, k, min, max, now));
  fx.events.push_back(MemberEvent{MemberEventKind::suspect, member->name, member->incarnation,
                                  member->address, suspect.from});
}

void Memberlist::on_dead(Instant now, const Dead& dead, Effects& fx) {
  Member* member = members_.find(dead.node);
  if (!member || dead.incarnation < member->incarnation) return;
  suspicions_.erase(dead.node);
  if (member->state == MemberState::dead && dead.node == dead.from && dead.node != config_.name) {
    // A force-leave of a failed member: it is gone for good, not merely failed.
    broadcast(dead.node, encode(dead));
    member->state = MemberState::left;
    member->state_change = now;
    fx.events.push_back(MemberEvent{MemberEventKind::left, member->name, member->incarnation,
                                    member->address, dead.from});
    return;
  }
  if (member->state == MemberState::dead || member->state == MemberState::left) return;
  const bool about_self = dead.node == config_.name;
  if (about_self && !leaving_) {
    refute(dead.incarnation);
    return;
  }
  const std::uint64_t id = broadcasts_.push(node_key(dead.node), encode(dead));
  if (about_self) leave_broadcast_ = id;
  member->incarnation = dead.incarnation;
  member->state = dead.node == dead.from ? MemberState::left : MemberState::dead;
  member->state_change = now;
  fx.events.push_back(MemberEvent{
      member->state == MemberState::left ? MemberEventKind::left : MemberEventKind::dead,
      member->name, member->incarnation, member->address, dead.from});
}

}  // namespace constellation::gossip
