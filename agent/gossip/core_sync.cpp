// Memberlist core, part 3: TCP push/pull anti-entropy (periodic and for join, merged with
// memberlist's rules: remote dead/suspect only ever makes us suspect), join retries with
// exponential backoff, graceful leave, user broadcasts and inbound stream handling.
#include <algorithm>

#include "agent/gossip/core_memberlist.hpp"
#include "agent/gossip/message_codec.hpp"
#include "agent/gossip/stream.hpp"

namespace constellation::gossip {

Bytes Memberlist::local_push_pull(bool join) const {
  PushPull message{.join = join, .nodes = {}, .user_state = user_state_};
  for (const auto& [name, m] : members_.all()) {
    message.nodes.push_back(PushNodeState{.name = m.name,
                                          .addr = m.address.ip,
                                          .port = m.address.port,
                                          .meta = m.meta,
                                          .incarnation = m.incarnation,
                                          .state = m.state,
                                          .vsn = m.vsn});
  }
  auto bytes = encode_push_pull(message);
  return bytes ? std::move(*bytes) : Bytes{};
}

void Memberlist::merge_remote(Instant now, const PushPull& remote, Effects& fx) {
  for (const PushNodeState& node : remote.nodes) {
    switch (node.state) {
      case NodeState::alive:
        on_alive(now,
                 Alive{.incarnation = node.incarnation,
                       .node = node.name,
                       .addr = node.addr,
                       .port = node.port,
                       .meta = node.meta,
                       .vsn = node.vsn},
                 fx);
        break;
      case NodeState::left:
        on_dead(now, Dead{node.incarnation, node.name, node.name}, fx);
        break;
      case NodeState::dead:
      case NodeState::suspect:
        on_suspect(now, Suspect{node.incarnation, node.name, config_.name}, fx);
        break;
    }
  }
  if (!remote.user_state.empty())
    fx.user_states.push_back(RemoteUserState{remote.user_state, remote.join});
}

Bytes Memberlist::seal_stream_bytes(const Bytes& plain) const {
  if (!config_.packet.keyring) return plain;
  return seal_stream(*config_.packet.keyring, config_.packet.encryption_version, plain,
                     config_.packet.label, random_nonce());
}

std::optional<StreamMessage> Memberlist::open_stream_bytes(std::span<const std::uint8_t> bytes,
                                                           Effects& fx) const {
  Bytes opened;
  if (config_.packet.keyring && !bytes.empty() &&
      bytes[0] == static_cast<std::uint8_t>(MessageType::encrypt)) {
    auto plain = open_stream(*config_.packet.keyring, bytes, config_.packet.label);
    if (!plain) {
      fx.dropped.push_back(std::move(plain.error()));
      return std::nullopt;
    }
    opened = std::move(*plain);
    bytes = opened;
  } else if (config_.packet.keyring && config_.packet.verify_incoming) {
    fx.dropped.push_back(WireError{DropReason::decrypt_failed, "plaintext stream"});
    return std::nullopt;
  }
  auto decoded = decode_stream(bytes);
  if (!decoded) {
    fx.dropped.push_back(std::move(decoded.error()));
    return std::nullopt;
  }
  return std::move(decoded->message);
}

std::uint64_t Memberlist::request_stream(const Address& to, StreamKind kind, const Bytes& plain,
                                         Instant deadline, Effects& fx) {
  const std::uint64_t id = next_stream_id_++;
  streams_[id] = PendingStream{kind, deadline};
  fx.streams.push_back(StreamRequest{id, to, kind, seal_stream_bytes(plain), deadline});
  return id;
}

void Memberlist::start_push_pull(Instant now, Effects& fx) {
  const auto peers = random_members(
      1, [&](const Member& m) { return m.name != config_.name && m.state == MemberState::alive; });
  if (peers.empty()) return;
  request_stream(peers.front()->address, StreamKind::push_pull, local_push_pull(false),
                 now + config_.timing.stream_timeout, fx);
}

void Memberlist::reconnect(Instant now, Effects& fx) {
  // A dead member may only be on the far side of a healed partition; left members said goodbye.
  const auto peers = random_members(
      1, [&](const Member& m) { return m.name != config_.name && m.state == MemberState::dead; });
  if (peers.empty()) return;
  request_stream(peers.front()->address, StreamKind::push_pull, local_push_pull(false),
                 now + config_.timing.stream_timeout, fx);
}

void Memberlist::send_join(Instant now, Effects& fx) {
  ++join_attempts_;
  join_outstanding_ = join_seeds_.size();
  join_answered_ = 0;
  const Bytes state = local_push_pull(true);
  for (const Address& seed : join_seeds_) {
    request_stream(seed, StreamKind::join, state, now + config_.timing.stream_timeout, fx);
  }
}

void Memberlist::stream_finished(Instant now, const PendingStream& stream,
                                 std::optional<std::span<const std::uint8_t>> reply, Effects& fx) {
  std::optional<StreamMessage> message;
  if (reply) message = open_stream_bytes(*reply, fx);
  const PushPull* remote = message ? std::get_if<PushPull>(&*message) : nullptr;
  switch (stream.kind) {
    case StreamKind::ping: {
      const AckResp* ack = message ? std::get_if<AckResp>(&*message) : nullptr;
      if (ack && probe_ && probe_->seq == ack->seq_no) finish_probe(now, true, fx);
      return;
    }
    case StreamKind::push_pull:
      if (remote) merge_remote(now, *remote, fx);
      return;
    case StreamKind::user:  // no reply in memberlist's protocol: nothing to finish
      return;
    case StreamKind::join:
      if (remote) {
        merge_remote(now, *remote, fx);
        ++join_answered_;
      }
      if (join_outstanding_ > 0) --join_outstanding_;
      if (join_outstanding_ > 0) return;
      if (join_answered_ > 0) {
        fx.joined = join_answered_;
        join_seeds_.clear();
        return;
      }
      if (config_.timing.join_max_attempts > 0 &&
          join_attempts_ >= config_.timing.join_max_attempts) {
        fx.join_failed = true;
        join_seeds_.clear();
        return;
      }
      {
        Millis backoff = config_.timing.join_retry_initial;
        for (int i = 1; i < join_attempts_ && backoff < config_.timing.join_retry_max; ++i) {
          backoff *= 2;
        }
        next_join_ = now + std::min(backoff, config_.timing.join_retry_max);
      }
      return;
  }
}

Effects Memberlist::handle_stream_reply(Instant now, std::uint64_t request_id,
                                        std::optional<std::span<const std::uint8_t>> reply) {
  Effects fx;
  if (left_) return fx;
  auto it = streams_.find(request_id);
  if (it != streams_.end()) {
    const PendingStream stream = it->second;
    streams_.erase(it);
    stream_finished(now, stream, reply, fx);
  }
  run_timers(now, fx);
  finish_effects(fx);
  return fx;
}

Effects Memberlist::handle_stream(Instant now, const Address& /*from*/,
                                  std::span<const std::uint8_t> bytes) {
  Effects fx;
  if (left_) return fx;
  if (auto message = open_stream_bytes(bytes, fx)) {
    if (auto* ping = std::get_if<Ping>(&*message)) {
      if (ping->node.empty() || ping->node == config_.name) {
        fx.stream_reply = seal_stream_bytes(encode(AckResp{ping->seq_no, std::nullopt}));
      }
    } else if (auto* remote = std::get_if<PushPull>(&*message)) {
      // Reply with our state as it was before the merge, as memberlist does.
      fx.stream_reply = seal_stream_bytes(local_push_pull(false));
      merge_remote(now, *remote, fx);
    } else if (auto* user = std::get_if<UserMsg>(&*message)) {
      fx.user_messages.push_back(std::move(user->payload));
    }
  }
  run_timers(now, fx);
  finish_effects(fx);
  return fx;
}

Effects Memberlist::join(Instant now, const std::vector<Address>& seeds) {
  Effects fx = start(now);
  join_seeds_ = seeds;
  join_attempts_ = 0;
  next_join_.reset();
  if (!join_seeds_.empty()) send_join(now, fx);
  finish_effects(fx);
  return fx;
}

Effects Memberlist::bootstrap(Instant now, const PushPull& snapshot) {
  Effects fx;
  quiet_ = true;
  merge_remote(now, snapshot, fx);
  quiet_ = false;
  finish_effects(fx);
  return fx;
}

Effects Memberlist::leave(Instant now) {
  Effects fx;
  if (leaving_ || left_) return fx;
  leaving_ = true;
  leave_deadline_ = now + config_.timing.leave_timeout;
  const bool anyone_else = live_members() > 1;
  on_dead(now, Dead{self().incarnation, config_.name, config_.name}, fx);
  if (!anyone_else) {
    left_ = true;
    fx.left = true;
  }
  finish_effects(fx);
  return fx;
}

Result<Effects> Memberlist::force_leave(Instant now, const std::string& name) {
  if (name == config_.name)
    return fail(ErrorCode::invalid_argument,
                "force-leave is for failed peers; to leave with this node, use leave");
  Member* member = members_.find(name);
  if (!member) return fail(ErrorCode::not_found, "no member named '" + name + "'");
  if (member->state == MemberState::alive)
    return fail(ErrorCode::conflict, "'" + name +
                                         "' is alive; force-leave only removes failed members "
                                         "(stop its agent, or run leave on that node)");
  Effects fx;
  if (member->state != MemberState::left) {
    suspicions_.erase(name);
    const Dead dead{member->incarnation, name, name};
    broadcast(name, encode(dead));
    member->state = MemberState::left;
    member->state_change = now;
    fx.events.push_back(MemberEvent{MemberEventKind::left, name, member->incarnation,
                                    member->address, config_.name});
  }
  finish_effects(fx);
  return fx;
}

Result<Effects> Memberlist::set_local_meta(Instant now, Bytes meta) {
  if (meta.size() > kMaxMetaSize) {
    return fail(ErrorCode::too_large, "node meta is " + std::to_string(meta.size()) +
                                          " bytes; memberlist allows at most 512");
  }
  Member& me = *members_.find(config_.name);
  me.meta = std::move(meta);
  ++me.incarnation;
  broadcast_self_alive();
  Effects fx;
  run_timers(now, fx);
  finish_effects(fx);
  return fx;
}

Result<Effects> Memberlist::send_reliable(Instant now, const std::string& node, Bytes payload) {
  const Member* member = members_.find(node);
  if (node == config_.name)
    return fail(ErrorCode::not_found, "'" + node + "' is this node; send to a peer");
  if (!member || (member->state != MemberState::alive && member->state != MemberState::suspect))
    return fail(ErrorCode::not_found, "no live gossip member named '" + node + "'");
  auto command = encode_stream_user(payload);
  if (!command)
    return fail(ErrorCode::too_large, "reliable user message of " + std::to_string(payload.size()) +
                                          " bytes: " + command.error().detail);
  Effects fx;
  if (left_ || leaving_) return fx;
  request_stream(member->address, StreamKind::user, *command, now + config_.timing.stream_timeout,
                 fx);
  finish_effects(fx);
  return fx;
}

Status Memberlist::queue_user_broadcast(Bytes payload, std::string key) {
  Bytes command = encode(UserMsg{std::move(payload)});
  if (command.size() + framing_overhead(config_.packet) > config_.packet.max_payload) {
    return fail(ErrorCode::too_large,
                "user broadcast of " + std::to_string(command.size()) + " bytes does not fit a " +
                    std::to_string(config_.packet.max_payload) + "-byte datagram");
  }
  broadcasts_.push(key.empty() ? std::string{} : std::string(1, '\1') + key, std::move(command));
  return {};
}

}  // namespace constellation::gossip
