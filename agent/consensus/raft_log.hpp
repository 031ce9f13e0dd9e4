// RaftLog: consensus::Log on Debian's libraft 0.15 with its disk (raft_uv) and TCP
// (raft_uv_tcp) backends. Raft runs on its own thread with its own libuv loop; the owner's
// asio loop posts work in through a queue and a uv_async wake-up, and raft posts results and
// status back with asio::post. contracts/raft.md §7 is applied here: padded payloads,
// pre-vote, a barrier after every election, auto-recovery off, 1 MiB segments and a 100 ms
// connect retry.
//
// Ownership: owns the raft thread and the loop; borrows the io_context and the Applier,
// which must outlive it. Threading: public methods on the io_context's thread only; the
// Applier is called on the raft thread only. Failure: start() reports a data directory or
// address raft cannot use; later failures arrive as Errors in callbacks.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/consensus/log.hpp"
#include "shared/asio.hpp"
#include "shared/error.hpp"

namespace constellation::consensus {

struct RaftOptions {
  std::uint64_t id{};           ///< this server's raft id, > 0, unique in the cluster
  std::string address{};        ///< "host:port" other servers reach us at
  std::string bind_address{};   ///< "host:port" to listen on; empty = `address`
  std::filesystem::path dir{};  ///< DATA_DIR/raft; created if missing
  /// Servers of the first configuration. Every node of the initial cluster passes the same
  /// list; a node joining later passes none and waits to be added. Ignored once the data
  /// directory holds state.
  std::vector<Member> bootstrap{};
  std::chrono::milliseconds election_timeout{500};
  std::chrono::milliseconds heartbeat{50};  ///< contract: election_timeout / 10
  unsigned snapshot_threshold = 1024;
  unsigned snapshot_trailing = 128;
};

/// A stable raft id for a node name (libraft's digest of the name; never 0), so every node
/// can compute every other node's id from gossip alone.
std::uint64_t raft_id_for(std::string_view node);

class RaftLog final : public Log {
 public:
  /// Opens (or creates) the data directory and starts raft on its own thread. Blocks the
  /// caller until raft_start has returned.
  static Result<std::unique_ptr<RaftLog>> start(asio::io_context& io, RaftOptions options,
                                                Applier& applier);
  /// Stops raft and joins its thread.
  ~RaftLog() override;

  void propose(std::string command, ProposeDone done) override;
  void read(ReadFn read, std::function<void(std::string)> done) override;
  const LogStatus& status() const override { return status_; }
  void on_status(StatusObserver observer) override { status_observer_ = std::move(observer); }
  void on_applied(AppliedObserver observer) override { applied_observer_ = std::move(observer); }

  /// Adds a server and promotes it to voter once it has caught up (leader only).
  void add_voter(std::uint64_t id, std::string address, std::function<void(Status)> done);
  /// Adds a server as a standby: it receives the log but does not vote (leader only).
  void add_standby(std::uint64_t id, std::string address, std::function<void(Status)> done);
  /// Changes a member's role (leader only). Promotion to voter completes once the server
  /// has caught up (libraft's catch-up rounds). libraft runs one configuration change at a
  /// time: a second one fails `unavailable` saying so.
  void assign(std::uint64_t id, ServerRole role, std::function<void(Status)> done);
  /// Removes a server from the configuration (leader only).
  void remove(std::uint64_t id, std::function<void(Status)> done);
  /// Hands leadership to `id` (0 = let raft pick a voter); `done` runs when it moved or
  /// an election timeout passed.
  void transfer_leadership(std::uint64_t id, std::function<void(Status)> done);
  /// Stops raft (idempotent); pending proposals and changes complete with errors, reads
  /// still queued are dropped.
  void stop();

  struct Impl;

 private:
  explicit RaftLog(asio::io_context& io);

  asio::io_context& io_;
  std::unique_ptr<Impl> impl_;
  LogStatus status_;
  StatusObserver status_observer_;
  AppliedObserver applied_observer_;
  std::shared_ptr<RaftLog*> alive_;  // posted callbacks hold a weak_ptr: run only while we live
};

}  // namespace constellation::consensus
