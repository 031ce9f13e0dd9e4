// Labels: lenient decoding, strict booleans (a malformed repair label is reported, never
// guessed) and filter selectors.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "agent/docker/labels.hpp"

namespace constellation::docker {
namespace {

using nlohmann::json;

TEST(LabelParsing, TreatsNullAsNoLabelsAndSkipsNonStringValues) {
  EXPECT_TRUE(parse_labels(json(nullptr))->empty());
  auto labels = parse_labels(json::parse(R"({"a":"1","b":2,"c":null})"));
  ASSERT_TRUE(labels.has_value());
  EXPECT_EQ(*labels, (Labels{{"a", "1"}}));
}

TEST(LabelParsing, RejectsANonObject) {
  auto labels = parse_labels(json::parse(R"(["a=1"])"));
  ASSERT_FALSE(labels.has_value());
  EXPECT_NE(labels.error().message.find("array"), std::string::npos);
}

TEST(LabelFlags, ReadsCommonBooleanSpellings) {
  Labels labels{{"t", "TRUE"}, {"one", "1"}, {"f", "false"}, {"no", " no "}};
  EXPECT_TRUE(*label_flag(labels, "t"));
  EXPECT_TRUE(*label_flag(labels, "one"));
  EXPECT_FALSE(*label_flag(labels, "f"));
  EXPECT_FALSE(*label_flag(labels, "no"));
  EXPECT_FALSE(*label_flag(labels, "absent"));
}

TEST(LabelFlags, ReportsAMalformedValueWithKeyAndValue) {
  auto flag =
      label_flag({{"deunhealth.restart.on.unhealthy", "maybe"}}, "deunhealth.restart.on.unhealthy");
  ASSERT_FALSE(flag.has_value());
  EXPECT_EQ(flag.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(flag.error().message.find("deunhealth.restart.on.unhealthy=\"maybe\""),
            std::string::npos);
}

TEST(LabelSelectors, ParseKeyAndKeyValueForms) {
  auto presence = parse_label_selector("traefik.enable");
  ASSERT_TRUE(presence.has_value());
  EXPECT_FALSE(presence->value.has_value());
  EXPECT_TRUE(presence->matches({{"traefik.enable", "false"}}));
  auto exact = parse_label_selector("traefik.enable=true");
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->str(), "traefik.enable=true");
  EXPECT_TRUE(exact->matches({{"traefik.enable", "true"}}));
  EXPECT_FALSE(exact->matches({{"traefik.enable", "false"}}));
  EXPECT_EQ(parse_label_selector("k=")->value, "");
  EXPECT_EQ(parse_label_selector("k=a=b")->value, "a=b");
}

TEST(LabelSelectors, RejectEmptyOrSpacedKeys) {
  EXPECT_FALSE(parse_label_selector("").has_value());
  EXPECT_FALSE(parse_label_selector("=v").has_value());
  EXPECT_FALSE(parse_label_selector("a key=v").has_value());
}

}  // namespace
}  // namespace constellation::docker
