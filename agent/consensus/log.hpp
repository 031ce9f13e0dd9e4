// consensus::Log: the narrow interface the lease logic and the API use to reach agreement —
// propose bytes and learn the committed result, watch this node's role and the leader. The
// libraft implementation is RaftLog; another engine (e.g. etcd) can be added behind it
// without touching the lease logic.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/consensus/applier.hpp"
#include "shared/error.hpp"

namespace constellation::consensus {

enum class Role { unavailable, follower, candidate, leader };
std::string_view role_name(Role role);

/// A server's part in the configuration: voters elect and form quorums; standbys receive
/// the log (ready to be promoted quickly) but do not vote; spares get nothing.
enum class ServerRole { voter, standby, spare };
std::string_view server_role_name(ServerRole role);

/// One server of the consensus configuration.
struct Member {
  std::uint64_t id{};
  std::string address{};
  bool voter{};  ///< role == voter (kept for the API's "voter" field)
  ServerRole role = ServerRole::voter;
  /// Leader's view only: the server's log matches the leader's last index (within a few
  /// entries); false on followers, where progress is unknown.
  bool caught_up{};

  bool operator==(const Member&) const = default;
};

/// This node's view of the consensus group.
struct LogStatus {
  std::uint64_t id{};
  std::string address{};
  Role role = Role::unavailable;
  /// Leader whose post-election barrier has been applied: its FSM reflects every entry
  /// committed by earlier leaders, so lease decisions may be made.
  bool ready{};
  std::uint64_t term{};
  std::uint64_t leader_id{};  ///< 0 = no known leader
  std::string leader_address{};
  std::uint64_t commit_index{};
  std::uint64_t last_applied{};
  std::uint64_t last_index{};
  std::vector<Member> members{};

  bool operator==(const LogStatus&) const = default;
};

/// Threading: every method is called on the owner's loop thread, and every callback runs
/// there too. Failure: proposals complete exactly once, with the FSM's result text or an
/// Error: `unavailable` for "not the leader" (the message names the leader if known) and
/// for "unknown outcome" (leadership was lost before commit: the command may still commit,
/// so re-read before retrying — commands are idempotent by id).
class Log {
 public:
  using ProposeDone = std::function<void(Result<std::string> result)>;
  using StatusObserver = std::function<void(const LogStatus& status)>;
  using AppliedObserver =
      std::function<void(const std::string& command, const std::string& result)>;
  using ReadFn = std::function<std::string(const Applier& state)>;

  virtual ~Log() = default;
  /// Proposes `command`; `done` gets the FSM's result once committed and applied here.
  virtual void propose(std::string command, ProposeDone done) = 0;
  /// Runs `read` against this replica's state machine and passes its text to `done`.
  virtual void read(ReadFn read, std::function<void(std::string)> done) = 0;
  /// Last status published to the owner's thread.
  virtual const LogStatus& status() const = 0;
  /// Called whenever the status changes.
  virtual void on_status(StatusObserver observer) = 0;
  /// Called for every command applied on this replica, in log order.
  virtual void on_applied(AppliedObserver observer) = 0;
};

}  // namespace constellation::consensus
