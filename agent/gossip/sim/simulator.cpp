// Simulator: a single ordered event queue keyed by (virtual time, insertion order) makes runs
// reproducible; wakeups are coalesced per node (a stale wake event is skipped) so 1000 cores
// cost only what their protocol traffic costs.
#include "agent/gossip/sim/simulator.hpp"

#include <algorithm>

#include "agent/gossip/stream.hpp"

namespace constellation::gossip::sim {

Simulator::Simulator(std::uint64_t seed, NetworkConfig network)
    : rng_(seed), network_(network), now_(Instant{} + std::chrono::hours(1)) {}

CoreConfig Simulator::node_config(int index, Timing timing, std::uint64_t seed) {
  CoreConfig config;
  config.name = "node-" + std::to_string(index);
  const auto i = static_cast<unsigned>(index);
  config.address = Address{
      Bytes{10, static_cast<std::uint8_t>((i >> 16) & 0xff),
            static_cast<std::uint8_t>((i >> 8) & 0xff), static_cast<std::uint8_t>(i & 0xff)},
      7946};
  config.timing = timing;
  config.seed = seed * 1000003u + i;
  return config;
}

int Simulator::add_node(CoreConfig config) {
  const int index = size();
  by_address_[config.address] = index;
  Node node;
  node.core = std::make_unique<Memberlist>(std::move(config));
  node.running = true;
  nodes_.push_back(std::move(node));
  return index;
}

void Simulator::add_cluster(int n, Timing timing) {
  const int first = size();
  for (int k = 0; k < n; ++k) add_node(node_config(first + k, timing, rng_()));
  start(first);
  for (int k = 1; k < n; ++k) join(first + k, {first});
}

void Simulator::add_converged_cluster(int n, Timing timing, PacketOptions packet) {
  const int first = size();
  PushPull roster;
  for (int k = 0; k < n; ++k) {
    CoreConfig config = node_config(first + k, timing, rng_());
    config.packet = packet;
    roster.nodes.push_back(PushNodeState{.name = config.name,
                                         .addr = config.address.ip,
                                         .port = config.address.port,
                                         .meta = std::nullopt,
                                         .incarnation = 1,
                                         .state = NodeState::alive,
                                         .vsn = config.vsn});
    add_node(std::move(config));
  }
  for (int k = 0; k < n; ++k) {
    process(first + k, core(first + k).bootstrap(now_, roster));
    start(first + k);
  }
}

void Simulator::start(int i) {
  process(i, core(i).start(now_));
}

void Simulator::join(int i, const std::vector<int>& seeds) {
  std::vector<Address> addresses;
  for (int s : seeds) addresses.push_back(core(s).config().address);
  process(i, core(i).join(now_, addresses));
}

void Simulator::leave(int i) {
  process(i, core(i).leave(now_));
}

void Simulator::kill(int i) {
  nodes_.at(static_cast<std::size_t>(i)).running = false;
}

void Simulator::set_meta(int i, Bytes meta) {
  auto fx = core(i).set_local_meta(now_, std::move(meta));
  if (fx) process(i, std::move(*fx));
}

void Simulator::broadcast(int i, Bytes payload) {
  deliveries_.push_back(Delivery{now_, i, payload});
  nodes_.at(static_cast<std::size_t>(i)).seen.insert(payload);
  (void)core(i).queue_user_broadcast(std::move(payload));
  process(i, core(i).tick(now_));
}

void Simulator::partition(const std::set<int>& side) {
  for (int i = 0; i < size(); ++i)
    nodes_[static_cast<std::size_t>(i)].group = side.contains(i) ? 1 : 0;
}

void Simulator::heal() {
  for (Node& node : nodes_) node.group = 0;
}

bool Simulator::blocked(int a, int b) const {
  return nodes_[static_cast<std::size_t>(a)].group != nodes_[static_cast<std::size_t>(b)].group;
}

Millis Simulator::delay() {
  return Millis{std::uniform_int_distribution<std::int64_t>(network_.min_delay.count(),
                                                            network_.max_delay.count())(rng_)};
}

std::optional<int> Simulator::index_of(const Address& address) const {
  auto it = by_address_.find(address);
  if (it == by_address_.end()) return std::nullopt;
  return it->second;
}

void Simulator::schedule(Instant at, Event event) {
  queue_.emplace(std::make_pair(at, order_++), std::move(event));
}

void Simulator::process(int i, Effects fx) {
  Node& node = nodes_[static_cast<std::size_t>(i)];
  for (MemberEvent& event : fx.events) {
    if (application_ && application_->on_event) application_->on_event(i, event);
    observations_.push_back(Observation{now_, i, std::move(event)});
  }
  for (Bytes& payload : fx.user_messages) {
    if (application_) {
      if (application_->on_message) application_->on_message(i, payload);
    } else if (relay_ && node.seen.insert(payload).second) {
      (void)node.core->queue_user_broadcast(payload);
    }
    deliveries_.push_back(Delivery{now_, i, std::move(payload)});
  }
  if (application_ && application_->on_state)
    for (const RemoteUserState& state : fx.user_states)
      application_->on_state(i, state.state, state.join);
  for (std::string& target : fx.failed_probes)
    failed_probes_.push_back(FailedProbe{now_, i, std::move(target)});
  for (OutPacket& packet : fx.packets) {
    node.bytes_sent += packet.bytes.size();
    const auto to = index_of(packet.to);
    if (!to || blocked(i, *to)) continue;
    if (std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < network_.loss) continue;
    schedule(now_ + delay(), Event{Kind::packet, *to, i, 0, true, std::move(packet.bytes)});
  }
  for (StreamRequest& request : fx.streams) {
    node.bytes_sent += request.bytes.size();
    const auto to = index_of(request.to);
    if (!to || blocked(i, *to)) {
      // No route: the connection attempt times out.
      schedule(request.deadline, Event{Kind::stream_reply, i, i, request.id, false, {}});
    } else {
      schedule(now_ + delay(),
               Event{Kind::stream_in, *to, i, request.id, true, std::move(request.bytes)});
    }
  }
  if (fx.left) node.running = false;
  if (fx.next_wakeup && node.running) {
    const Instant at = std::max(*fx.next_wakeup, now_);
    if (!node.wake_at || at < *node.wake_at) {
      node.wake_at = at;
      schedule(at, Event{Kind::wake, i, i, 0, true, {}});
    }
  }
}

void Simulator::step() {
  auto handle = queue_.extract(queue_.begin());
  now_ = handle.key().first;
  Event& event = handle.mapped();
  Node& node = nodes_[static_cast<std::size_t>(event.node)];
  switch (event.kind) {
    case Kind::wake:
      if (!node.wake_at || *node.wake_at != now_) return;
      node.wake_at.reset();
      if (node.running) process(event.node, node.core->tick(now_));
      return;
    case Kind::packet:
      if (!node.running) return;
      process(event.node,
              node.core->handle_packet(now_, core(event.origin).config().address, event.bytes));
      return;
    case Kind::stream_in: {
      if (!node.running || blocked(event.node, event.origin)) {
        // Connection refused (dead process) or lost: the asker learns at its deadline.
        schedule(now_ + delay(),
                 Event{Kind::stream_reply, event.origin, event.node, event.stream_id, false, {}});
        return;
      }
      Effects fx = node.core->handle_stream(now_, core(event.origin).config().address, event.bytes);
      std::optional<Bytes> reply = std::move(fx.stream_reply);
      if (reply) node.bytes_sent += reply->size();
      process(event.node, std::move(fx));
      schedule(now_ + delay(), Event{Kind::stream_reply, event.origin, event.node, event.stream_id,
                                     reply.has_value(), reply ? std::move(*reply) : Bytes{}});
      return;
    }
    case Kind::stream_reply: {
      if (!node.running) return;
      std::optional<std::span<const std::uint8_t>> reply;
      if (event.ok && !blocked(event.node, event.origin))
        reply = std::span<const std::uint8_t>(event.bytes);
      process(event.node, node.core->handle_stream_reply(now_, event.stream_id, reply));
      return;
    }
  }
}

void Simulator::run_for(Millis duration) {
  const Instant end = now_ + duration;
  while (!queue_.empty() && queue_.begin()->first.first <= end) step();
  now_ = end;
}

std::optional<MemberState> Simulator::view(int observer, int subject) const {
  const Member* m =
      nodes_.at(static_cast<std::size_t>(observer)).core->members().find(name(subject));
  if (!m) return std::nullopt;
  return m->state;
}

bool Simulator::converged() const {
  for (int i = 0; i < size(); ++i) {
    if (!running(i)) continue;
    for (int j = 0; j < size(); ++j) {
      if (i == j) continue;
      const auto state = view(i, j);
      if (running(j)) {
        if (state != MemberState::alive) return false;
      } else if (state == MemberState::alive || state == MemberState::suspect) {
        return false;
      }
    }
  }
  return true;
}

std::vector<std::string> Simulator::invariant_violations() const {
  std::vector<std::string> out;
  for (const Observation& o : observations_) {
    if (o.event.kind != MemberEventKind::dead) continue;
    const bool probed =
        std::any_of(failed_probes_.begin(), failed_probes_.end(),
                    [&](const FailedProbe& p) { return p.target == o.event.name && p.at <= o.at; });
    if (!probed)
      out.push_back(name(o.observer) + " declared " + o.event.name + " dead with no failed probe");
  }
  return out;
}

std::uint64_t Simulator::total_bytes_sent() const {
  std::uint64_t total = 0;
  for (const Node& node : nodes_) total += node.bytes_sent;
  return total;
}

}  // namespace constellation::gossip::sim
