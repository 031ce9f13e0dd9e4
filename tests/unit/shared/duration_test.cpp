// Durations as operators type them.
#include "shared/duration.hpp"

#include <gtest/gtest.h>

using namespace constellation;
using namespace std::chrono_literals;

TEST(ParseDuration, AcceptsCompoundUnits) {
  EXPECT_EQ(*parse_duration("1h30m"), 90min);
  EXPECT_EQ(*parse_duration("250ms"), 250ms);
  EXPECT_EQ(*parse_duration("7d"), 168h);
}

TEST(ParseDuration, TreatsBareNumberAsSeconds) {
  EXPECT_EQ(*parse_duration("45"), 45s);
}

TEST(ParseDuration, RejectsGarbageWithMessageNamingInput) {
  for (auto text : {"", "abc", "5x", "-5s", "5m3"}) {
    auto parsed = parse_duration(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(parsed.error().message.find(std::string("'") + text + "'"), std::string::npos);
  }
}

TEST(FormatDuration, IsCompactAndRoundTrips) {
  EXPECT_EQ(format_duration(0ms), "0s");
  EXPECT_EQ(format_duration(200s), "3m20s");
  EXPECT_EQ(format_duration(26h), "1d2h");
  EXPECT_EQ(*parse_duration(format_duration(3725s)), 3720s);  // minutes precision at hours
}
