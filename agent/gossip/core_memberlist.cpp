// Memberlist core, part 1: timers, the SWIM probe cycle (direct ping, indirect pings with
// nacks, TCP fallback), gossip fanout, reaping and datagram dispatch. Membership rules are in
// core_state.cpp; push/pull, join and leave in core_sync.cpp.
#include <algorithm>
#include <functional>

#include "agent/gossip/core_memberlist.hpp"
#include "agent/gossip/message_codec.hpp"

namespace constellation::gossip {
namespace {
/// Reaping is a full scan of the table, so it runs on its own slow timer.
constexpr Millis kReapEvery{1000};
}  // namespace

std::string_view member_event_name(MemberEventKind kind) {
  switch (kind) {
    case MemberEventKind::join:
      return "join";
    case MemberEventKind::alive:
      return "alive";
    case MemberEventKind::suspect:
      return "suspect";
    case MemberEventKind::dead:
      return "dead";
    case MemberEventKind::left:
      return "left";
    case MemberEventKind::update:
      return "update";
    case MemberEventKind::reaped:
      return "reaped";
  }
  return "unknown";
}

Status validate(const CoreConfig& config) {
  const auto bad = [](const std::string& what) {
    return fail(ErrorCode::invalid_argument, "gossip: " + what);
  };
  const Timing& t = config.timing;
  if (config.name.empty()) return bad("node name is empty; set a unique name per node");
  if (config.address.ip.size() != 4 && config.address.ip.size() != 16) {
    return bad("advertise address must be IPv4 or IPv6");
  }
  if (config.address.port == 0) return bad("gossip port must not be 0");
  if (config.meta && config.meta->size() > kMaxMetaSize) {
    return bad("node meta is " + std::to_string(config.meta->size()) + " bytes, limit 512");
  }
  if (t.probe_interval.count() <= 0 || t.gossip_interval.count() <= 0 ||
      t.probe_timeout.count() <= 0) {
    return bad("probe interval, probe timeout and gossip interval must be positive");
  }
  if (t.probe_timeout >= t.probe_interval) {
    return bad("probe timeout (" + std::to_string(t.probe_timeout.count()) +
               " ms) must be shorter than the probe interval (" +
               std::to_string(t.probe_interval.count()) + " ms)");
  }
  if (t.suspicion_mult < 1 || t.suspicion_max_timeout_mult < 1 || t.retransmit_mult < 1 ||
      t.awareness_max_multiplier < 1 || t.gossip_nodes < 1) {
    return bad("suspicion, retransmit, awareness multipliers and gossip nodes must be >= 1");
  }
  if (config.packet.max_payload <= framing_overhead(config.packet) + 64) {
    return bad("UDP payload limit " + std::to_string(config.packet.max_payload) +
               " is too small for a ping");
  }
  return {};
}

Memberlist::Memberlist(CoreConfig config)
    : config_(std::move(config)),
      rng_(config_.seed ^ std::hash<std::string>{}(config_.name)),
      awareness_(config_.timing.awareness_max_multiplier) {
  Member self{.name = config_.name,
              .address = config_.address,
              .meta = config_.meta,
              .incarnation = 1,
              .state = MemberState::alive,
              .state_change = {},
              .vsn = config_.vsn};
  members_.insert(std::move(self), rng_);
}

std::size_t Memberlist::live_members() const {
  return static_cast<std::size_t>(
      std::count_if(members_.all().begin(), members_.all().end(), [](const auto& kv) {
        return kv.second.state == MemberState::alive || kv.second.state == MemberState::suspect;
      }));
}

Nonce Memberlist::nonce() const {
  return config_.packet.keyring ? random_nonce() : Nonce{};
}

Effects Memberlist::start(Instant now) {
  Effects fx;
  if (!started_) {
    started_ = true;
    const auto offset = [&](Millis interval) {
      if (interval.count() <= 0) return Millis{0};
      return Millis{std::uniform_int_distribution<std::int64_t>(0, interval.count() - 1)(rng_)};
    };
    next_probe_ = now + offset(config_.timing.probe_interval);
    next_gossip_ = now + offset(config_.timing.gossip_interval);
    next_push_pull_ =
        now + config_.timing.push_pull_interval + offset(config_.timing.push_pull_interval);
    next_reconnect_ =
        now + config_.timing.reconnect_interval + offset(config_.timing.reconnect_interval);
  }
  finish_effects(fx);
  return fx;
}

Effects Memberlist::tick(Instant now) {
  Effects fx;
  if (left_) return fx;
  run_timers(now, fx);
  finish_effects(fx);
  return fx;
}

void Memberlist::run_timers(Instant now, Effects& fx) {
  std::vector<std::string> expired;
  for (const auto& [name, suspicion] : suspicions_) {
    if (suspicion.deadline() <= now) expired.push_back(name);
  }
  for (const std::string& name : expired) {
    const Member* m = members_.find(name);
    if (m && m->state == MemberState::suspect) {
      on_dead(now, Dead{m->incarnation, name, config_.name}, fx);
    }
    suspicions_.erase(name);
  }
  if (started_) {
    if (probe_ && !probe_->indirect_sent && now >= probe_->ack_deadline) probe_indirect(now, fx);
    if (probe_ && now >= probe_->deadline) finish_probe(now, false, fx);
    if (!probe_ && !leaving_ && now >= next_probe_) start_probe(now, fx);
  }
  for (auto it = relays_.begin(); it != relays_.end();) {
    if (it->second.deadline > now) {
      ++it;
      continue;
    }
    if (it->second.nack) send(it->second.requester, encode(NackResp{it->second.seq}), fx);
    it = relays_.erase(it);
  }
  for (auto it = streams_.begin(); it != streams_.end();) {
    if (it->second.deadline > now) {
      ++it;
      continue;
    }
    const PendingStream stream = it->second;
    it = streams_.erase(it);
    stream_finished(now, stream, std::nullopt, fx);
    it = streams_.begin();  // stream_finished may have added requests
  }
  if (started_ && now >= next_gossip_) {
    gossip(now, fx);
    next_gossip_ += config_.timing.gossip_interval;
    if (next_gossip_ <= now) next_gossip_ = now + config_.timing.gossip_interval;
  }
  if (started_ && !leaving_ && config_.timing.push_pull_interval.count() > 0 &&
      now >= next_push_pull_) {
    start_push_pull(now, fx);
    next_push_pull_ = now + push_pull_scale(config_.timing.push_pull_interval, members_.size());
  }
  if (now >= next_reap_) {
    reap(now, fx);
    next_reap_ = now + kReapEvery;
  }
  if (started_ && !leaving_ && config_.timing.reconnect_interval.count() > 0 &&
      now >= next_reconnect_) {
    reconnect(now, fx);
    next_reconnect_ = now + config_.timing.reconnect_interval;
  }
  if (next_join_ && now >= *next_join_) {
    next_join_.reset();
    send_join(now, fx);
  }
  if (leaving_ && !left_ && (!broadcasts_.contains(leave_broadcast_) || now >= leave_deadline_)) {
    left_ = true;
    fx.left = true;
  }
}

void Memberlist::finish_effects(Effects& fx) {
  if (left_) {
    fx.next_wakeup.reset();
    return;
  }
  std::optional<Instant> next;
  const auto consider = [&](Instant t) {
    if (!next || t < *next) next = t;
  };
  if (started_) {
    if (probe_) {
      consider(probe_->indirect_sent ? probe_->deadline : probe_->ack_deadline);
    } else if (!leaving_) {
      consider(next_probe_);
    }
    consider(next_gossip_);
    if (!leaving_ && config_.timing.push_pull_interval.count() > 0) consider(next_push_pull_);
    if (!leaving_ && config_.timing.reconnect_interval.count() > 0) consider(next_reconnect_);
  }
  for (const auto& [name, suspicion] : suspicions_) consider(suspicion.deadline());
  for (const auto& [seq, relay] : relays_) consider(relay.deadline);
  for (const auto& [id, stream] : streams_) consider(stream.deadline);
  if (next_join_) consider(*next_join_);
  if (leaving_) consider(leave_deadline_);
  fx.next_wakeup = next;
}

std::vector<const Member*> Memberlist::random_members(
    std::size_t k, const std::function<bool(const Member&)>& accept) {
  return members_.random(k, accept, rng_);
}

void Memberlist::start_probe(Instant now, Effects& fx) {
  const auto target = members_.next_probe_target(
      [&](const Member& m) {
        return m.name != config_.name &&
               (m.state == MemberState::alive || m.state == MemberState::suspect);
      },
      rng_);
  const Millis interval = config_.timing.probe_interval;
  if (!target) {
    next_probe_ = now + interval;
    return;
  }
  const Member& member = *members_.find(*target);
  Probe probe{.target = member.name,
              .seq = ++next_seq_,
              .started = now,
              .ack_deadline = now + config_.timing.probe_timeout,
              .deadline = now + awareness_.scale(interval)};
  Ping ping{.seq_no = probe.seq,
            .node = member.name,
            .source_addr = config_.address.ip,
            .source_port = config_.address.port,
            .source_node = config_.name};
  std::optional<Bytes> accusation;
  // Lifeguard's buddy system: a suspect learns it is suspected from the probe itself.
  if (member.state == MemberState::suspect) {
    accusation = encode(Suspect{member.incarnation, member.name, config_.name});
  }
  probe_ = probe;
  send(member.address, encode(ping), fx, std::move(accusation));
}

void Memberlist::probe_indirect(Instant now, Effects& fx) {
  probe_->indirect_sent = true;
  const Member* target = members_.find(probe_->target);
  if (!target) return;
  const auto helpers = random_members(
      static_cast<std::size_t>(std::max(0, config_.timing.indirect_checks)), [&](const Member& m) {
        return m.name != config_.name && m.name != target->name && m.state == MemberState::alive;
      });
  for (const Member* helper : helpers) {
    const bool nack = helper->vsn.pmax >= 4;
    if (nack) ++probe_->expected_nacks;
    IndirectPing request{.seq_no = probe_->seq,
                         .target = target->address.ip,
                         .port = target->address.port,
                         .node = target->name,
                         .nack = nack,
                         .source_addr = config_.address.ip,
                         .source_port = config_.address.port,
                         .source_node = config_.name};
    send(helper->address, encode(request), fx);
  }
  if (config_.timing.tcp_fallback_ping && target->vsn.pmax >= 3) {
    Ping ping{.seq_no = probe_->seq,
              .node = target->name,
              .source_addr = config_.address.ip,
              .source_port = config_.address.port,
              .source_node = config_.name};
    request_stream(target->address, StreamKind::ping, encode(ping), probe_->deadline, fx);
  }
  (void)now;
}

void Memberlist::finish_probe(Instant now, bool acked, Effects& fx) {
  const Probe probe = *probe_;
  probe_.reset();
  next_probe_ = std::max(probe.started + config_.timing.probe_interval, now);
  if (acked) {
    awareness_.apply_delta(-1);
    return;
  }
  // Lifeguard: missing nacks mean our own network is suspect, not only the target.
  int delta = 1;
  if (probe.expected_nacks > 0) delta = std::max(0, probe.expected_nacks - probe.nacks);
  awareness_.apply_delta(delta);
  fx.failed_probes.push_back(probe.target);
  const Member* member = members_.find(probe.target);
  if (member && (member->state == MemberState::alive || member->state == MemberState::suspect)) {
    on_suspect(now, Suspect{member->incarnation, member->name, config_.name}, fx);
  }
}

void Memberlist::gossip(Instant now, Effects& fx) {
  const auto targets = random_members(
      static_cast<std::size_t>(std::max(0, config_.timing.gossip_nodes)), [&](const Member& m) {
        if (m.name == config_.name) return false;
        if (m.state == MemberState::alive || m.state == MemberState::suspect) return true;
        return m.state == MemberState::dead &&
               now - m.state_change < config_.timing.gossip_to_the_dead;
      });
  const PacketOptions& options = config_.packet;
  const std::size_t overhead = framing_overhead(options);
  if (options.max_payload <= overhead) return;
  for (const Member* target : targets) {
    const auto candidates = broadcasts_.candidates(64);
    if (candidates.empty()) return;
    std::vector<Bytes> commands;
    commands.reserve(candidates.size());
    for (const auto& c : candidates) commands.push_back(*c.message);
    const CompoundPlan plan = pack_compound(commands, options.max_payload - overhead);
    if (plan.command.empty()) continue;
    auto sealed = seal_packet(plan.command, options, nonce());
    if (!sealed) continue;
    std::vector<std::uint64_t> ids;
    for (std::size_t i : plan.included) ids.push_back(candidates[i].id);
    broadcasts_.mark_sent(ids, retransmit_limit(config_.timing.retransmit_mult, members_.size()));
    fx.packets.push_back(OutPacket{target->address, std::move(*sealed)});
  }
}

void Memberlist::reap(Instant now, Effects& fx) {
  std::vector<std::string> gone;
  for (const auto& [name, m] : members_.all()) {
    if (name == config_.name) continue;
    if ((m.state == MemberState::dead || m.state == MemberState::left) &&
        now - m.state_change >= config_.timing.reap_dead_after) {
      gone.push_back(name);
    }
  }
  for (const std::string& name : gone) {
    const Member& m = *members_.find(name);
    fx.events.push_back(MemberEvent{MemberEventKind::reaped, name, m.incarnation, m.address, name});
    suspicions_.erase(name);
    members_.erase(name);
  }
}

void Memberlist::send(const Address& to, const Bytes& command, Effects& fx,
                      std::optional<Bytes> extra) {
  std::vector<Bytes> messages;
  messages.push_back(command);
  std::size_t offset = 1;
  if (extra) {
    messages.push_back(std::move(*extra));
    offset = 2;
  }
  const auto candidates = broadcasts_.candidates(32);
  for (const auto& c : candidates) messages.push_back(*c.message);
  auto built = build_packet(messages, config_.packet, nonce());
  if (!built) {
    fx.dropped.push_back(built.error());
    return;
  }
  std::vector<std::uint64_t> ids;
  for (std::size_t i : built->included) {
    if (i >= offset) ids.push_back(candidates[i - offset].id);
  }
  broadcasts_.mark_sent(ids, retransmit_limit(config_.timing.retransmit_mult, members_.size()));
  fx.packets.push_back(OutPacket{to, std::move(built->datagram)});
}

Effects Memberlist::handle_packet(Instant now, const Address& from,
                                  std::span<const std::uint8_t> bytes) {
  Effects fx;
  if (left_) return fx;
  auto packet = decode_packet(bytes, config_.packet);
  if (!packet) {
    fx.dropped.push_back(std::move(packet.error()));
  } else {
    for (WireError& e : packet->dropped_parts) fx.dropped.push_back(std::move(e));
    for (Message& message : packet->messages) dispatch(now, from, message, fx);
  }
  run_timers(now, fx);
  finish_effects(fx);
  return fx;
}

void Memberlist::on_ack(Instant now, std::uint32_t seq, Effects& fx) {
  if (probe_ && probe_->seq == seq) {
    finish_probe(now, true, fx);
    return;
  }
  auto relay = relays_.find(seq);
  if (relay == relays_.end()) return;
  send(relay->second.requester, encode(AckResp{relay->second.seq, std::nullopt}), fx);
  relays_.erase(relay);
}

void Memberlist::dispatch(Instant now, const Address& from, Message& message, Effects& fx) {
  const auto reply_to = [&](const Bytes& ip, std::uint16_t port) {
    return (!ip.empty() && port != 0) ? Address{ip, port} : from;
  };
  if (auto* ping = std::get_if<Ping>(&message)) {
    if (!ping->node.empty() && ping->node != config_.name) return;
    send(reply_to(ping->source_addr, ping->source_port),
         encode(AckResp{ping->seq_no, std::nullopt}), fx);
  } else if (auto* req = std::get_if<IndirectPing>(&message)) {
    const std::uint32_t seq = ++next_seq_;
    Ping ping{.seq_no = seq,
              .node = req->node,
              .source_addr = config_.address.ip,
              .source_port = config_.address.port,
              .source_node = config_.name};
    relays_[seq] = Relay{reply_to(req->source_addr, req->source_port), req->seq_no, req->nack,
                         now + config_.timing.probe_timeout};
    send(Address{req->target, req->port}, encode(ping), fx);
  } else if (auto* ack = std::get_if<AckResp>(&message)) {
    on_ack(now, ack->seq_no, fx);
  } else if (auto* nack = std::get_if<NackResp>(&message)) {
    if (probe_ && probe_->seq == nack->seq_no) ++probe_->nacks;
  } else if (auto* suspect = std::get_if<Suspect>(&message)) {
    on_suspect(now, *suspect, fx);
  } else if (auto* alive = std::get_if<Alive>(&message)) {
    on_alive(now, *alive, fx);
  } else if (auto* dead = std::get_if<Dead>(&message)) {
    on_dead(now, *dead, fx);
  } else if (auto* user = std::get_if<UserMsg>(&message)) {
    fx.user_messages.push_back(std::move(user->payload));
  }
  // ErrResp only travels on streams; ignored here as memberlist does.
}

}  // namespace constellation::gossip
