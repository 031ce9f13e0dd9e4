// The lease-history checker (issue 5): every node logs when it acted under which lease with
// which token; this asserts that no two nodes ever acted under the same lease at overlapping
// times and that tokens only grow. Shared by the raft_fixture simulation, the multi-process
// lease tests and the chaos benchmark, so all three judge safety by the same rule.
//
// Pure functions apart from read_lease_history (a blocking file read). Threading: none.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace constellation::testing {

/// One node acting under one lease with one token, [from_ms, until_ms) on CLOCK_MONOTONIC.
struct ActingInterval {
  std::string node{};
  std::string lease{};
  std::uint64_t token{};
  std::int64_t from_ms{};
  std::int64_t until_ms{};
};

/// Reads an agent's DATA_DIR/lease-history.ndjson. Lines repeating (lease, holder, token,
/// from) update one interval; its last line gives the end. A torn last line (kill -9 mid
/// write) is skipped. A missing file holds no intervals.
std::vector<ActingInterval> read_lease_history(const std::string& path);

/// Every violation found, one sentence each; empty when the history is safe. Rules, per
/// lease: intervals of different nodes never overlap, and an interval that starts later
/// than another node's never has a smaller or equal token.
std::vector<std::string> lease_violations(std::vector<ActingInterval> intervals);

}  // namespace constellation::testing
