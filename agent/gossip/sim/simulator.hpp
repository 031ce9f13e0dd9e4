// Deterministic gossip simulator: N Memberlist cores on a virtual clock, connected by a
// seeded virtual network with loss, delay and partitions. It records every member event,
// user delivery and failed probe so tests can assert the protocol's invariants and the
// benchmark can measure dissemination. Same seed, same run, bit for bit.
//
// Ownership: owns the cores. Threading: single-threaded. Failure: none; misuse (bad index)
// is a programming error caught by at().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "agent/gossip/core_memberlist.hpp"

namespace constellation::gossip::sim {

/// The virtual network's behaviour.
struct NetworkConfig {
  double loss = 0.0;    ///< probability that a datagram is dropped
  Millis min_delay{1};  ///< one-way latency bounds (uniform)
  Millis max_delay{5};
};

/// A member event as seen by one node.
struct Observation {
  Instant at;
  int observer = 0;
  MemberEvent event;
};

/// A user broadcast arriving at a node.
struct Delivery {
  Instant at;
  int node = 0;
  Bytes payload;
};

/// A probe chain that failed (direct, indirect and TCP), leading to a suspicion.
struct FailedProbe {
  Instant at;
  int prober = 0;
  std::string target;
};

/// N cores over a virtual network.
class Simulator {
 public:
  explicit Simulator(std::uint64_t seed, NetworkConfig network = {});

  /// Config for node `index`: name "node-<index>", a unique 10.x.y.z:7946 address.
  static CoreConfig node_config(int index, Timing timing, std::uint64_t seed);
  /// Adds a core (not started). Returns its index.
  int add_node(CoreConfig config);
  /// Adds `n` nodes with node_config and starts them; each joins node 0 except node 0.
  void add_cluster(int n, Timing timing);
  /// Adds `n` nodes that already know each other (bootstrap), started, no join traffic.
  void add_converged_cluster(int n, Timing timing, PacketOptions packet = {});

  /// Starts node `i`'s timers.
  void start(int i);
  /// Node `i` joins via the given nodes' addresses.
  void join(int i, const std::vector<int>& seeds);
  /// Graceful leave of node `i`.
  void leave(int i);
  /// Stops node `i` abruptly (kill -9): it neither sends nor receives from now on.
  void kill(int i);
  /// New meta for node `i`.
  void set_meta(int i, Bytes meta);
  /// Queues a user broadcast at node `i` (recorded as delivered to `i` itself at once).
  void broadcast(int i, Bytes payload);
  /// Nodes in `side` cannot exchange anything with the others until heal().
  void partition(const std::set<int>& side);
  void heal();
  /// Whether a node re-broadcasts a user message the first time it receives it, as the
  /// application layer does for news (default on). Off: only the origin sends it.
  void set_relay_user_messages(bool relay) { relay_ = relay; }
  /// The application above gossip at every node, as the agent's ClusterService is: it sees
  /// member events, user messages and peers' push/pull user state, and may queue broadcasts
  /// or set user state on core(node). Once set, user messages are no longer relayed here.
  struct Application {
    std::function<void(int node, const MemberEvent&)> on_event;
    std::function<void(int node, const Bytes& message)> on_message;
    std::function<void(int node, const Bytes& state, bool join)> on_state;
  };
  void set_application(Application application) { application_ = std::move(application); }
  /// Datagram loss probability from now on.
  void set_loss(double loss) { network_.loss = loss; }

  /// Advances virtual time by `duration`, processing everything due.
  void run_for(Millis duration);
  /// Runs until `done()` holds (checked after each event) or `limit` passes; true if done.
  template <typename Pred>
  bool run_until(Pred done, Millis limit);

  Instant now() const { return now_; }
  int size() const { return static_cast<int>(nodes_.size()); }
  Memberlist& core(int i) { return *nodes_.at(static_cast<std::size_t>(i)).core; }
  bool running(int i) const { return nodes_.at(static_cast<std::size_t>(i)).running; }
  std::string name(int i) const { return "node-" + std::to_string(i); }
  /// State of `subject` in `observer`'s table; nullopt if unknown (or reaped).
  std::optional<MemberState> view(int observer, int subject) const;
  /// Every running node sees every running node alive and every stopped node dead, left or
  /// gone.
  bool converged() const;

  const std::vector<Observation>& observations() const { return observations_; }
  const std::vector<Delivery>& deliveries() const { return deliveries_; }
  const std::vector<FailedProbe>& failed_probes() const { return failed_probes_; }
  /// Invariant breaches found so far: a node declared dead (not left) with no failed probe
  /// chain of it before, by anyone.
  std::vector<std::string> invariant_violations() const;
  /// Datagram and stream bytes node `i` has sent.
  std::uint64_t bytes_sent(int i) const {
    return nodes_.at(static_cast<std::size_t>(i)).bytes_sent;
  }
  std::uint64_t total_bytes_sent() const;

 private:
  enum class Kind { wake, packet, stream_in, stream_reply };
  struct Event {
    Kind kind;
    int node = 0;    ///< receiver
    int origin = 0;  ///< sender (streams: who asked)
    std::uint64_t stream_id = 0;
    bool ok = true;
    Bytes bytes;
  };
  struct Node {
    std::unique_ptr<Memberlist> core;
    bool running = false;
    std::optional<Instant> wake_at;
    std::uint64_t bytes_sent = 0;
    int group = 0;
    std::set<Bytes> seen;  ///< user payloads already relayed
  };

  void schedule(Instant at, Event event);
  void process(int i, Effects fx);
  void step();
  bool blocked(int a, int b) const;
  Millis delay();
  std::optional<int> index_of(const Address& address) const;

  std::mt19937_64 rng_;
  NetworkConfig network_;
  Instant now_;
  std::vector<Node> nodes_;
  std::map<Address, int> by_address_;
  std::map<std::pair<Instant, std::uint64_t>, Event> queue_;
  std::uint64_t order_ = 0;
  std::vector<Observation> observations_;
  std::vector<Delivery> deliveries_;
  std::vector<FailedProbe> failed_probes_;
  bool relay_ = true;
  std::optional<Application> application_;
};

template <typename Pred>
bool Simulator::run_until(Pred done, Millis limit) {
  const Instant end = now_ + limit;
  while (!done()) {
    if (queue_.empty() || queue_.begin()->first.first > end) {
      now_ = end;
      return done();
    }
    step();
  }
  return true;
}

}  // namespace constellation::gossip::sim
