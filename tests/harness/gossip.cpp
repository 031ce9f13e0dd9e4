// Gossip test helpers: member views over the agent's unix socket, serf as a child process, and
// `ip netns` namespaces created and deleted by name.
#include "tests/harness/gossip.hpp"

#include <unistd.h>
#include <atomic>
#include <sstream>
#include <stdexcept>

#include "tests/harness/http.hpp"

namespace constellation::testing {
namespace {
using nlohmann::json;

constexpr const char* kSerf = "/usr/bin/serf";
constexpr const char* kIp = "/usr/sbin/ip";

}  // namespace

SerfAgent::SerfAgent(const TempDir& dir, Options options) : options_(std::move(options)) {
  gossip_port_ = free_port();
  rpc_port_ = free_port();
  std::vector<std::string> argv = options_.command_prefix;
  argv.insert(argv.end(), {kSerf, "agent", "-node", options_.node, "-bind", gossip_address(),
                           "-rpc-addr", options_.host + ":" + std::to_string(rpc_port_)});
  if (!options_.encrypt_key.empty()) argv.insert(argv.end(), {"-encrypt", options_.encrypt_key});
  child_ = std::make_unique<Child>(argv, std::map<std::string, std::string>{},
                                   dir.file("serf-" + options_.node + ".log"));
}

std::string SerfAgent::gossip_address() const {
  return options_.host + ":" + std::to_string(gossip_port_);
}

json SerfAgent::members() const {
  std::vector<std::string> argv = options_.command_prefix;
  argv.insert(argv.end(), {kSerf, "members", "-format", "json", "-rpc-addr",
                           options_.host + ":" + std::to_string(rpc_port_)});
  auto result = run_command(argv, {}, std::chrono::seconds(5));
  auto doc = json::parse(result.out, nullptr, false);
  return doc.is_object() ? doc.value("members", json::array()) : json::array();
}

std::string SerfAgent::status_of(const std::string& name) const {
  for (const auto& member : members())
    if (member.value("name", "") == name) return member.value("status", "");
  return "";
}

CommandResult SerfAgent::join(const std::string& address) const {
  std::vector<std::string> argv = options_.command_prefix;
  argv.insert(argv.end(), {kSerf, "join", "-rpc-addr",
                           options_.host + ":" + std::to_string(rpc_port_), address});
  return run_command(argv, {}, std::chrono::seconds(15));
}

NetNamespace::NetNamespace() {
  static std::atomic<int> counter{0};
  name_ = "cgt-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  auto added = run_command({kIp, "netns", "add", name_});
  if (added.exit_code != 0)
    throw std::runtime_error("ip netns add " + name_ + " failed: " + added.err);
  auto up = exec({kIp, "link", "set", "lo", "up"});
  if (up.exit_code != 0) {
    run_command({kIp, "netns", "delete", name_});
    throw std::runtime_error("ip link set lo up in " + name_ + " failed: " + up.err);
  }
}

NetNamespace::~NetNamespace() {
  run_command({kIp, "netns", "delete", name_});
}

std::vector<std::string> NetNamespace::prefix() const {
  return {kIp, "netns", "exec", name_};
}

CommandResult NetNamespace::exec(const std::vector<std::string>& argv) const {
  auto full = prefix();
  full.insert(full.end(), argv.begin(), argv.end());
  return run_command(full);
}

}  // namespace constellation::testing
