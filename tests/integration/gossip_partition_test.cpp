// A network partition between real agents: five agents in a private network namespace, each on
// its own 127.0.0.x address, split {n1,n2} | {n3,n4,n5} by iptables DROP rules. Both sides keep
// working (their own side alive, the other side suspect or dead, APIs answering), and when the
// rules go the cluster heals. Needs root (ip netns, iptables): fails, never skips, without it.
#include <unistd.h>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/gossip.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;

namespace {
constexpr const char* kIptables = "/usr/sbin/iptables";
const std::vector<std::string> kNames = {"n1", "n2", "n3", "n4", "n5"};

std::string ip_of(std::size_t i) {
  return "127.0.0." + std::to_string(11 + i);
}

// The two rules that drop every packet between 127.0.0.11-12 and 127.0.0.13-15, both ways.
// `action` is "-A" to install them, "-D" to remove them.
std::vector<std::vector<std::string>> partition_rules(const std::string& action) {
  return {{kIptables, action, "INPUT", "-m", "iprange", "--src-range", "127.0.0.11-127.0.0.12",
           "--dst-range", "127.0.0.13-127.0.0.15", "-j", "DROP"},
          {kIptables, action, "INPUT", "-m", "iprange", "--src-range", "127.0.0.13-127.0.0.15",
           "--dst-range", "127.0.0.11-127.0.0.12", "-j", "DROP"}};
}

bool gone(const std::string& state) {
  return state == "suspect" || state == "dead";
}
}  // namespace

TEST(GossipPartition, BothSidesKeepWorkingAndTheClusterHealsWhenThePartitionEnds) {
  ASSERT_EQ(::geteuid(), 0u)
      << "the partition test needs root to create a network namespace and iptables rules; "
         "run `make test` as root (CI does)";
  ASSERT_TRUE(std::filesystem::exists(kIptables))
      << kIptables << " is missing: apt-get install iptables (make deps does it)";

  NetNamespace netns;  // declared before the agents: they stop first, then it is deleted
  TempDir dir;
  std::vector<std::unique_ptr<Agent>> agents;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    std::vector<std::string> args = {"--gossip", ip_of(i) + ":7946"};
    if (i != 0) args.insert(args.end(), {"--join", ip_of(0) + ":7946"});
    agents.push_back(std::make_unique<Agent>(
        dir,
        Agent::Options{.node = kNames[i], .extra_args = args, .command_prefix = netns.prefix()}));
    ASSERT_TRUE(api_answers(*agents.back())) << agents.back()->process().log();
  }
  auto all_alive = [&] {
    for (const auto& agent : agents)
      if (alive_count(*agent) != kNames.size()) return false;
    return true;
  };
  ASSERT_TRUE(eventually(all_alive)) << members_of(*agents[0]).dump();
  // Each agent advertises the specific address it is bound to.
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    for (const auto& member : members_of(*agents[0])) {
      if (member.value("name", "") == kNames[i]) {
        EXPECT_EQ(member.value("address", ""), ip_of(i) + ":7946");
      }
    }
  }

  for (const auto& rule : partition_rules("-A")) {
    auto added = netns.exec(rule);
    ASSERT_EQ(added.exit_code, 0) << added.err;
  }
  auto side_of = [](std::size_t i) { return i < 2 ? 0 : 1; };
  auto partitioned = [&] {
    for (std::size_t i = 0; i < kNames.size(); ++i)
      for (std::size_t j = 0; j < kNames.size(); ++j) {
        auto state = member_state(*agents[i], kNames[j]);
        if (side_of(i) == side_of(j) ? state != "alive" : !gone(state)) return false;
      }
    return true;
  };
  EXPECT_TRUE(eventually(partitioned)) << members_of(*agents[0]).dump() << "\n"
                                       << members_of(*agents[4]).dump();
  for (const auto& agent : agents) {
    EXPECT_TRUE(api_answers(*agent));
    EXPECT_TRUE(agent->process().running());
  }

  for (const auto& rule : partition_rules("-D")) {
    auto removed = netns.exec(rule);
    ASSERT_EQ(removed.exit_code, 0) << removed.err;
  }
  EXPECT_TRUE(eventually(all_alive)) << members_of(*agents[0]).dump() << "\n"
                                     << members_of(*agents[4]).dump();
}
