// The lease-history checker itself: it must catch overlaps and shrinking tokens between
// nodes, accept a clean hand-over, and read history files the way agents write them
// (repeated lines extend one interval; a torn last line is ignored).
#include "tests/harness/lease_checker.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

namespace constellation::testing {
namespace {

ActingInterval at(std::string node, std::uint64_t token, std::int64_t from, std::int64_t until,
                  std::string lease = "lb-leader") {
  return ActingInterval{.node = std::move(node),
                        .lease = std::move(lease),
                        .token = token,
                        .from_ms = from,
                        .until_ms = until};
}

TEST(LeaseChecker, AcceptsAHandOverAfterTheOldWindowClosed) {
  EXPECT_TRUE(lease_violations({at("a", 1, 0, 100), at("a", 1, 150, 200), at("b", 2, 200, 300),
                                at("a", 3, 0, 500, "dns-writer")})
                  .empty());
}

TEST(LeaseChecker, ReportsOverlappingNodes) {
  auto v = lease_violations({at("a", 1, 0, 100), at("b", 2, 99, 300)});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].find("overlap"), std::string::npos) << v[0];
}

TEST(LeaseChecker, ReportsATokenThatDidNotGrow) {
  auto v = lease_violations({at("a", 2, 0, 100), at("b", 2, 100, 300)});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].find("token did not grow"), std::string::npos) << v[0];
}

TEST(LeaseChecker, ReadsExtendedIntervalsAndSkipsATornLastLine) {
  const std::string path = "/tmp/lease-checker-" + std::to_string(::getpid()) + ".ndjson";
  {
    std::ofstream out(path);
    out << R"({"mono_ms_from":10,"mono_ms_until":20,"lease":"lb-leader","holder":"a","token":1})"
        << "\n"
        << R"({"mono_ms_from":10,"mono_ms_until":35,"lease":"lb-leader","holder":"a","token":1})"
        << "\n"
        << R"({"mono_ms_from":50,"mono_ms_until":60,"lease":"lb-leader","holder":"a","token":1})"
        << "\n"
        << R"({"mono_ms_from":70,"mono_ms_)";
  }
  auto intervals = read_lease_history(path);
  std::remove(path.c_str());
  ASSERT_EQ(intervals.size(), 2u);
  EXPECT_EQ(intervals[0].until_ms, 35);
  EXPECT_EQ(intervals[1].from_ms, 50);
  EXPECT_TRUE(read_lease_history(path).empty()) << "a missing file holds nothing";
}

}  // namespace
}  // namespace constellation::testing
