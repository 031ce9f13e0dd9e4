// Gossip test helpers: Debian's `serf agent` as a real HashiCorp peer and a network namespace
// for partitions (an agent's own view is read with agent_api.hpp, included here). All
// blocking, test thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/harness/agent_api.hpp"
#include "tests/harness/process.hpp"

namespace constellation::testing {

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
