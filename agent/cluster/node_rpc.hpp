// NodeRpc: request/response between agents over gossip's reliable user messages. A request
// {id, from, method, params} goes to one node; its answer {id, from, ok|error, result} comes
// back the same way. This core only correlates answers with calls, enforces deadlines and
// dispatches requests to handlers registered by method name; the agent supplies the sending
// function and drives expire() from its timer, so tests run it without sockets or clocks.
//
// Ownership: owns pending calls and handlers. Threading: one loop thread; every callback runs
// inside the call that caused it. Failure: every call completes exactly once — with the
// peer's result, the peer's error (its ErrorCode kept across the wire), a send error, or
// `timeout` once its deadline has passed; a late answer after that is dropped and counted.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/error.hpp"

namespace constellation::cluster {

/// First byte of an RPC payload; ClusterView's record payloads use 0xC1/0xC2, serf 0-9.
inline constexpr std::uint8_t kRpcType = 0xC3;

/// A call to a method on another node.
struct RpcRequest {
  std::uint64_t id{};
  std::string from{};  ///< the calling node: where the answer goes
  std::string method{};
  nlohmann::json params = nlohmann::json::object();
};

/// The answer to one RpcRequest.
struct RpcResponse {
  std::uint64_t id{};
  std::string from{};  ///< the answering node
  Result<nlohmann::json> result = nlohmann::json();
};

using RpcMessage = std::variant<RpcRequest, RpcResponse>;

/// `[kRpcType][msgpack]`.
std::vector<std::uint8_t> encode_rpc(const RpcMessage& message);
/// invalid_argument naming what is wrong for anything encode_rpc did not produce.
Result<RpcMessage> decode_rpc(std::span<const std::uint8_t> bytes);

class NodeRpc {
 public:
  using Clock = std::chrono::steady_clock;
  /// Sends a payload to a node (GossipService::send_reliable in the agent).
  using Send = std::function<Status(const std::string& node, std::vector<std::uint8_t> payload)>;
  /// Completes one call, or answers one request; call it exactly once.
  using Done = std::function<void(Result<nlohmann::json>)>;
  /// Serves one method: `from` is the calling node. May answer later (after I/O).
  using Handler = std::function<void(const std::string& from, nlohmann::json params, Done reply)>;

  /// `first_id` seeds the call ids (the agent passes a random one so a restarted agent does
  /// not reuse the ids of calls still in flight before it).
  NodeRpc(std::string self, Send send, std::uint64_t first_id = 1);

  /// Registers (or replaces) the handler for `method`.
  void handle(std::string method, Handler handler);
  /// Calls `method` on `node`; `done` gets its result by `deadline` at the latest. A send that
  /// fails at once (unknown node: not_found) completes the call at once.
  void call(Clock::time_point now, const std::string& node, std::string method,
            nlohmann::json params, Clock::time_point deadline, Done done);
  /// Input: one payload starting with kRpcType, from gossip.
  void on_message(std::span<const std::uint8_t> bytes);
  /// Completes every call whose deadline is at or before `now` with `timeout`.
  void expire(Clock::time_point now);
  /// The earliest pending deadline, for the caller's timer.
  std::optional<Clock::time_point> next_deadline() const;

  std::size_t pending() const { return calls_.size(); }
  /// Answers that matched no pending call (late, duplicated or for another node).
  std::uint64_t dropped_answers() const { return dropped_answers_; }
  /// Payloads that did not decode.
  std::uint64_t malformed() const { return malformed_; }

 private:
  struct Call {
    std::string node;
    std::string method;
    Clock::time_point started, deadline;
    Done done;
  };
  void serve(RpcRequest request);
  void answer(const std::string& to, std::uint64_t id, Result<nlohmann::json> result);

  std::string self_;
  Send send_;
  std::uint64_t next_id_;
  std::map<std::uint64_t, Call> calls_;
  std::map<std::string, Handler> handlers_;
  std::uint64_t dropped_answers_ = 0, malformed_ = 0;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  ///< replies after our end: no-ops
};

}  // namespace constellation::cluster
