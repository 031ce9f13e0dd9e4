// The /ws fan-out, without sockets: each WebSocket client has a bounded queue of JSON text
// messages; broadcast() numbers events with a global sequence and enqueues them everywhere.
// A client whose queue is full loses it and gets "resync" plus a fresh snapshot, so a slow
// client never blocks the agent or other clients. Loop thread only; no locking.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/event.hpp"

namespace constellation::api {

class WsHub {
 public:
  using ClientId = std::uint64_t;
  struct Options {
    std::size_t queue_limit = 1024;   ///< config ws_queue_limit
    std::size_t recent_events = 100;  ///< events kept for snapshots
    std::string node;                 ///< for the hello message
  };

  /// `status` builds the snapshot's "status" object (the /api/v1/status body).
  WsHub(Options options, std::function<nlohmann::json()> status);

  /// Registers a client whose queue starts with hello and snapshot. `wake` runs (on the
  /// loop thread, synchronously) whenever a message is enqueued for this client.
  ClientId connect(std::function<void()> wake);
  /// Forgets a client and its queue; unknown ids are ignored.
  void disconnect(ClientId id);
  /// Takes the next queued message, nullopt when the queue is empty or the id unknown.
  std::optional<std::string> pop(ClientId id);
  /// Handles one text frame from a client: {"type":"ping","id":X} -> {"type":"pong","id":X};
  /// anything else gets {"type":"error","message":...}. Replies carry no seq.
  void receive(ClientId id, std::string_view text);

  /// Numbers `event` with the next seq, remembers it for snapshots and enqueues it for every
  /// client. A client whose queue already holds queue_limit messages is resynced instead.
  void broadcast(const Event& event);
  /// Pre-fills the snapshot ring (e.g. from the journal at start-up) without a seq. Events
  /// are merged with those already broadcast by journal id, so a late seed keeps order.
  void seed(const std::vector<Event>& events);

  std::size_t client_count() const { return clients_.size(); }
  std::uint64_t seq() const { return seq_; }
  std::uint64_t resyncs() const { return resyncs_; }
  std::uint64_t broadcasts() const { return seq_; }
  std::size_t queued(ClientId id) const;

  /// The hello message (agent version, API version, ws protocol version, node).
  nlohmann::json hello() const;
  /// A snapshot at the current seq: status and the recent events, oldest first.
  nlohmann::json snapshot() const;

 private:
  struct Client {
    std::deque<std::string> queue;
    std::function<void()> wake;
  };
  void enqueue(Client& client, std::string message);
  static std::string dump(const nlohmann::json& message);

  Options options_;
  std::function<nlohmann::json()> status_;
  std::map<ClientId, Client> clients_;
  std::deque<Event> recent_;
  std::uint64_t seq_ = 0;
  std::uint64_t resyncs_ = 0;
  ClientId next_id_ = 1;
};

}  // namespace constellation::api
