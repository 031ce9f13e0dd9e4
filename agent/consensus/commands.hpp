// The commands the replicated state machine accepts, as typed values and their JSON form.
// Proposers build a Command, encode it, and hand the bytes to consensus::Log; every replica
// decodes the same bytes. Time values are supplied by the proposer (no clocks in the FSM).
//
// Sans-IO and pure. Failure: decode() returns an invalid_argument error naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "shared/error.hpp"

namespace constellation::consensus {

/// Grant `lease` to `holder`. On a free lease it always succeeds; on a lease held by another
/// node only as a take-over: `expect_revision` must equal the record's revision (nothing was
/// renewed since the leader decided the grant had expired).
struct LeaseGrant {
  std::string id{};      ///< unique command id; a replay with the same id is a no-op
  std::string lease{};   ///< lease name, e.g. "lb-leader"
  std::string holder{};  ///< node that receives the lease
  std::int64_t ttl_ms{};
  std::int64_t now_ms{};  ///< the proposing leader's monotonic time
  std::string clock{};    ///< identifies the clock now_ms was read from (leader incarnation)
  std::optional<std::uint64_t> expect_revision{};
};

/// The holder extends its grant; `token` must be the current token.
struct LeaseRenew {
  std::string id{};
  std::string lease{};
  std::string holder{};
  std::uint64_t token{};
  std::int64_t now_ms{};
  std::string clock{};
};

/// The holder gives its lease up (e.g. it was cordoned or is shutting down).
struct LeaseRelease {
  std::string id{};
  std::string lease{};
  std::string holder{};
  std::uint64_t token{};
  std::int64_t now_ms{};
  std::string clock{};
};

/// The leader declares a grant expired (no renewal seen for a full TTL by its clock).
struct LeaseExpire {
  std::string id{};
  std::string lease{};
  std::uint64_t expect_revision{};
  std::int64_t now_ms{};
  std::string clock{};
};

/// Marks `node` as cordoned: no lease is granted to it and it hands over what it holds.
struct CordonNode {
  std::string id{};
  std::string node{};
  std::string reason{};
  std::string actor{};
  std::int64_t at_unix_ms{};  ///< wall time, for display only
};

struct UncordonNode {
  std::string id{};
  std::string node{};
  std::string actor{};
  std::int64_t at_unix_ms{};
};

/// Replaces the cluster configuration record (a JSON object) and bumps its version.
struct SetConfig {
  std::string id{};
  nlohmann::json values = nlohmann::json::object();
};

using Command = std::variant<LeaseGrant, LeaseRenew, LeaseRelease, LeaseExpire, CordonNode,
                             UncordonNode, SetConfig>;

/// The operation name written in the JSON "op" field ("lease_grant", "cordon", ...).
std::string_view op_name(const Command& command);
/// The unique id of a command.
const std::string& command_id(const Command& command);

/// JSON text of a command.
std::string encode(const Command& command);
/// Parses JSON text of a command. Trailing NUL bytes (raft payload padding) are ignored.
Result<Command> decode(std::string_view bytes);

}  // namespace constellation::consensus
