// Lease-history reading and the two safety rules (see lease_checker.hpp). Quadratic per
// lease, which is fine for the few thousand intervals a chaos run produces.
#include "tests/harness/lease_checker.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

namespace constellation::testing {

std::vector<ActingInterval> read_lease_history(const std::string& path) {
  std::ifstream in(path);
  std::vector<ActingInterval> out;
  std::map<std::tuple<std::string, std::string, std::uint64_t, std::int64_t>, std::size_t> index;
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    ActingInterval i{.node = j.value("holder", ""),
                     .lease = j.value("lease", ""),
                     .token = j.value("token", std::uint64_t{0}),
                     .from_ms = j.value("mono_ms_from", std::int64_t{0}),
                     .until_ms = j.value("mono_ms_until", std::int64_t{0})};
    auto key = std::make_tuple(i.node, i.lease, i.token, i.from_ms);
    if (auto it = index.find(key); it != index.end()) {
      out[it->second].until_ms = i.until_ms;
    } else {
      index.emplace(key, out.size());
      out.push_back(std::move(i));
    }
  }
  return out;
}

std::vector<std::string> lease_violations(std::vector<ActingInterval> intervals) {
  std::sort(intervals.begin(), intervals.end(), [](const auto& a, const auto& b) {
    return std::tie(a.lease, a.from_ms) < std::tie(b.lease, b.from_ms);
  });
  auto describe = [](const ActingInterval& i) {
    return i.node + " acted under " + i.lease + " with token " + std::to_string(i.token) + " [" +
           std::to_string(i.from_ms) + ", " + std::to_string(i.until_ms) + ")";
  };
  std::vector<std::string> violations;
  for (std::size_t a = 0; a < intervals.size(); ++a)
    for (std::size_t b = a + 1; b < intervals.size() && intervals[b].lease == intervals[a].lease;
         ++b) {
      const ActingInterval &x = intervals[a], &y = intervals[b];
      if (x.node == y.node) continue;
      if (x.until_ms > y.from_ms)
        violations.push_back("overlap: " + describe(x) + " while " + describe(y));
      if (x.token >= y.token)
        violations.push_back("token did not grow: " + describe(x) + ", later " + describe(y));
    }
  return violations;
}

}  // namespace constellation::testing
