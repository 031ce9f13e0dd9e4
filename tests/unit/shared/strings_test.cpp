// String helpers and "did you mean".
#include "shared/strings.hpp"

#include <gtest/gtest.h>

using namespace constellation;

TEST(Split, KeepsEmptyFields) {
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
}

TEST(Trim, StripsSurroundingWhitespace) {
  EXPECT_EQ(trim("  x y \n"), "x y");
}

TEST(ClosestMatch, SuggestsNearbyCommand) {
  std::vector<std::string> commands{"status", "events", "version", "doctor"};
  EXPECT_EQ(closest_match("stauts", commands), "status");
  EXPECT_EQ(closest_match("evnts", commands), "events");
  EXPECT_EQ(closest_match("zzzzzzzz", commands), "");
}
