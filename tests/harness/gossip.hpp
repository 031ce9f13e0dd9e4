// Gossip test helpers: an agent's member view, journal and drop counters read over its unix
// socket; Debian's `serf agent` as a real HashiCorp peer; a network namespace for partitions.
// Every gossip test asks these questions the same way. All blocking, test thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/harness/process.hpp"

namespace constellation::testing {

// ---- our agent's view (GET /api/v1/members, /api/v1/events, /metrics on the unix socket) ---

/// The agent's members array; empty when the agent does not answer.
nlohmann::json members_of(const Agent& agent);
/// "alive", "suspect", "dead", "left", or "" when `name` is not listed or the agent is down.
std::string state_of(const Agent& agent, const std::string& name);
/// The incarnation the agent holds for `name`, nullopt when not listed.
std::optional<std::uint64_t> incarnation_of(const Agent& agent, const std::string& name);
/// How many members the agent lists alive (itself included).
std::size_t alive_count(const Agent& agent);
/// Whether the agent's journal holds an event of `kind` about `subject`.
bool journaled(const Agent& agent, const std::string& kind, const std::string& subject);
/// The sum of constellation_gossip_dropped_total over every reason; nullopt when /metrics
/// does not answer.
std::optional<std::uint64_t> gossip_drops(const Agent& agent);
/// Whether GET /health answers 200 on the unix socket.
bool api_answers(const Agent& agent);

// ---- serf: the reference memberlist implementation ----------------------------------------

/// A `serf agent` child process with its own gossip and RPC ports, killed by PID on
/// destruction.
class SerfAgent {
 public:
  struct Options {
    std::string node = "serf";
    std::string host = "127.0.0.1";  ///< bind address for gossip and RPC
    std::string encrypt_key{};       ///< base64 key for -encrypt; empty = plaintext
    std::vector<std::string> command_prefix{};
  };
  SerfAgent(const TempDir& dir, Options options);

  /// "host:port" serf gossips on.
  std::string gossip_address() const;
  /// `serf members -format json` members (name, addr, status...), empty if serf does not answer.
  nlohmann::json members() const;
  /// serf's status for `name` ("alive", "failed", "left"...), "" when not listed.
  std::string status_of(const std::string& name) const;
  /// `serf join ADDRESS` through this agent's RPC port.
  CommandResult join(const std::string& address) const;
  Child& process() { return *child_; }

 private:
  Options options_;
  int gossip_port_ = 0, rpc_port_ = 0;
  std::unique_ptr<Child> child_;
};

// ---- network namespaces -------------------------------------------------------------------

/// A fresh network namespace with a unique name and lo up, deleted on destruction (stop the
/// processes inside it first: declare it before them). Needs root; throws when it cannot be
/// created, with ip's message.
class NetNamespace {
 public:
  NetNamespace();
  ~NetNamespace();
  NetNamespace(const NetNamespace&) = delete;
  NetNamespace& operator=(const NetNamespace&) = delete;

  const std::string& name() const { return name_; }
  /// The words that run a command inside: {"/usr/sbin/ip", "netns", "exec", NAME}.
  std::vector<std::string> prefix() const;
  /// Runs argv inside the namespace to completion.
  CommandResult exec(const std::vector<std::string>& argv) const;

 private:
  std::string name_;
};

}  // namespace constellation::testing
