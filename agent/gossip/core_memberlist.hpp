// The sans-IO SWIM + Lifeguard core, memberlist-compatible: fed time, datagrams and stream
// bytes, it returns Effects (datagrams encoded with the wire codec, stream requests, the next
// wakeup, member events). It has no sockets, clocks or threads, so the same code runs over
// asio in the agent and in the deterministic simulator (sim/).
//
// Ownership: owns all membership state; PacketOptions' keyring must outlive the core.
// Threading: not thread-safe; drive it from one loop. Failure: bad input is dropped and
// reported in Effects::dropped, never thrown; nothing here throws or crashes on input.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "agent/gossip/awareness.hpp"
#include "agent/gossip/broadcast_queue.hpp"
#include "agent/gossip/core_types.hpp"
#include "agent/gossip/membership.hpp"
#include "agent/gossip/stream.hpp"
#include "agent/gossip/suspicion.hpp"
#include "shared/error.hpp"

namespace constellation::gossip {

/// One member of a gossip pool.
class Memberlist {
 public:
  /// A core for `config` (check it with validate() first); call start() or join() to begin.
  explicit Memberlist(CoreConfig config);

  /// Begins the periodic work (probe, gossip, push/pull); returns the first wakeup.
  Effects start(Instant now);
  /// Runs every timer due at `now` (probe steps, suspicion expiry, gossip, push/pull, join
  /// retry, reaping, leave completion). Cheap to call early: nothing due, nothing done.
  Effects tick(Instant now);
  /// A datagram from `from`.
  Effects handle_packet(Instant now, const Address& from, std::span<const std::uint8_t> bytes);
  /// One whole message read from an inbound TCP stream; the reply is in stream_reply.
  Effects handle_stream(Instant now, const Address& from, std::span<const std::uint8_t> bytes);
  /// The reply to one of our StreamRequests, or nullopt if it failed or timed out.
  Effects handle_stream_reply(Instant now, std::uint64_t request_id,
                              std::optional<std::span<const std::uint8_t>> reply);
  /// Push/pull with each seed address; retried with backoff until one answers.
  Effects join(Instant now, const std::vector<Address>& seeds);
  /// Adopts a membership snapshot (a push/pull) without re-gossiping what it learns, for a
  /// simulator or test that starts from a long-converged cluster. Not used by the agent.
  Effects bootstrap(Instant now, const PushPull& snapshot);
  /// Graceful leave: broadcasts dead-about-self (From == Node) and reports `left` once it has
  /// been sent its transmit limit or leave_timeout passed.
  Effects leave(Instant now);
  /// Declares a failed (suspect or dead) member as left, as if it had left gracefully, and
  /// gossips that: its name can then be reused at once. not_found for an unknown name,
  /// conflict for an alive member, invalid_argument for ourselves.
  Result<Effects> force_leave(Instant now, const std::string& name);
  /// New node meta, gossiped with a higher incarnation. too_large above kMaxMetaSize.
  Result<Effects> set_local_meta(Instant now, Bytes meta);
  /// Queues an application broadcast (a UDP user message); a non-empty `key` replaces any
  /// queued broadcast with the same key. too_large if it cannot fit one datagram.
  Status queue_user_broadcast(Bytes payload, std::string key = {});
  /// A reliable point-to-point user message (memberlist's SendReliable): a `user` stream
  /// request to `node` carrying `[8]{UserMsgLen}payload`, sealed like every other stream.
  /// not_found for an unknown, dead or left member (or ourselves), too_large beyond
  /// kMaxStreamPayload. Delivery is best effort: a failed connect is only logged.
  Result<Effects> send_reliable(Instant now, const std::string& node, Bytes payload);
  /// The application's full state, sent in every push/pull.
  void set_user_state(Bytes state) { user_state_ = std::move(state); }

  /// Read-only view for the API and tests.
  const MemberTable& members() const { return members_; }
  const Member& self() const { return *members_.find(config_.name); }
  int awareness_score() const { return awareness_.score(); }
  const std::map<std::string, Suspicion>& suspicions() const { return suspicions_; }
  std::size_t queued_broadcasts() const { return broadcasts_.size(); }
  int max_queued_transmits() const { return broadcasts_.max_transmits(); }
  const CoreConfig& config() const { return config_; }
  /// Members not dead or left, self included.
  std::size_t live_members() const;

 private:
  struct Probe {
    std::string target;
    std::uint32_t seq = 0;
    Instant started, ack_deadline, deadline;
    bool indirect_sent = false;
    int expected_nacks = 0;
    int nacks = 0;
  };
  struct Relay {
    Address requester;
    std::uint32_t seq = 0;
    bool nack = false;
    Instant deadline;
  };
  struct PendingStream {
    StreamKind kind;
    Instant deadline;
  };

  // core_memberlist.cpp: timers, probing, packets.
  void run_timers(Instant now, Effects& fx);
  void start_probe(Instant now, Effects& fx);
  void probe_indirect(Instant now, Effects& fx);
  void finish_probe(Instant now, bool acked, Effects& fx);
  void gossip(Instant now, Effects& fx);
  void reap(Instant now, Effects& fx);
  void dispatch(Instant now, const Address& from, Message& message, Effects& fx);
  void on_ack(Instant now, std::uint32_t seq, Effects& fx);
  void send(const Address& to, const Bytes& command, Effects& fx,
            std::optional<Bytes> extra = std::nullopt);
  void finish_effects(Effects& fx);
  std::vector<const Member*> random_members(std::size_t k,
                                            const std::function<bool(const Member&)>& accept);

  // core_state.cpp: memberlist's aliveNode / suspectNode / deadNode and refutation.
  void on_alive(Instant now, const Alive& alive, Effects& fx);
  void on_suspect(Instant now, const Suspect& suspect, Effects& fx);
  void on_dead(Instant now, const Dead& dead, Effects& fx);
  void refute(std::uint32_t accused);
  void broadcast_self_alive();
  Alive alive_of(const Member& member) const;
  void broadcast(const std::string& node, const Bytes& command);

  // core_sync.cpp: push/pull, join, leave, streams.
  Bytes local_push_pull(bool join) const;
  void merge_remote(Instant now, const PushPull& remote, Effects& fx);
  void start_push_pull(Instant now, Effects& fx);
  void reconnect(Instant now, Effects& fx);
  void send_join(Instant now, Effects& fx);
  std::uint64_t request_stream(const Address& to, StreamKind kind, const Bytes& plain,
                               Instant deadline, Effects& fx);
  Bytes seal_stream_bytes(const Bytes& plain) const;
  std::optional<StreamMessage> open_stream_bytes(std::span<const std::uint8_t> bytes,
                                                 Effects& fx) const;
  void stream_finished(Instant now, const PendingStream& stream,
                       std::optional<std::span<const std::uint8_t>> reply, Effects& fx);
  Nonce nonce() const;

  CoreConfig config_;
  std::mt19937_64 rng_;
  MemberTable members_;
  Awareness awareness_;
  BroadcastQueue broadcasts_;
  std::map<std::string, Suspicion> suspicions_;
  std::optional<Probe> probe_;
  std::map<std::uint32_t, Relay> relays_;
  std::map<std::uint64_t, PendingStream> streams_;
  std::uint32_t next_seq_ = 0;
  std::uint64_t next_stream_id_ = 1;
  Bytes user_state_;
  bool started_ = false;
  bool quiet_ = false;  ///< bootstrap(): apply news without queueing broadcasts
  Instant next_probe_{}, next_gossip_{}, next_push_pull_{}, next_reconnect_{}, next_reap_{};
  // Join: the seeds, attempt count, outstanding requests of the current attempt.
  std::vector<Address> join_seeds_;
  int join_attempts_ = 0;
  std::size_t join_outstanding_ = 0, join_answered_ = 0;
  std::optional<Instant> next_join_;
  // Leave: the dead-about-self broadcast to wait for.
  bool leaving_ = false, left_ = false;
  std::uint64_t leave_broadcast_ = 0;
  Instant leave_deadline_{};
};

}  // namespace constellation::gossip
