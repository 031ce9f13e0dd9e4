// Value syntaxes shared by every layer: byte sizes, booleans and HOST:PORT endpoints.
#include <gtest/gtest.h>

#include "agent/config/config.hpp"

namespace constellation::config {
namespace {

TEST(ParseBytes, AcceptsBinaryAndDecimalUnits) {
  EXPECT_EQ(parse_bytes("65536").value(), 65536);
  EXPECT_EQ(parse_bytes("64KiB").value(), 64 * 1024);
  EXPECT_EQ(parse_bytes("64MiB").value(), 64ll << 20);
  EXPECT_EQ(parse_bytes("1GiB").value(), 1ll << 30);
  EXPECT_EQ(parse_bytes("1TiB").value(), 1ll << 40);
  EXPECT_EQ(parse_bytes("64KB").value(), 64'000);
  EXPECT_EQ(parse_bytes("64MB").value(), 64'000'000);
  EXPECT_EQ(parse_bytes("1GB").value(), 1'000'000'000);
}

TEST(ParseBytes, RejectsUnknownUnitsNegativeAndFractionsNamingTheInput) {
  for (const char* bad : {"64XB", "-5", "1.5GiB", "", "KiB", "99999999999TiB"}) {
    auto parsed = parse_bytes(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(parsed.error().message.find("'" + std::string(bad) + "'"), std::string::npos)
        << parsed.error().message;
  }
}

TEST(FormatBytes, UsesTheLargestExactBinaryUnitElseThePlainNumber) {
  EXPECT_EQ(format_bytes(64ll << 20), "64MiB");
  EXPECT_EQ(format_bytes(1536), "1536");  // 1.5 KiB is not exact
  EXPECT_EQ(format_bytes(2048), "2KiB");
  EXPECT_EQ(format_bytes(0), "0");
  EXPECT_EQ(parse_bytes(format_bytes(3ll << 30)).value(), 3ll << 30);
}

TEST(ParseBool, AcceptsCommonSpellingsCaseInsensitively) {
  for (const char* yes : {"true", "TRUE", "yes", "On", "1"}) EXPECT_TRUE(parse_bool(yes).value());
  for (const char* no : {"false", "No", "off", "0"}) EXPECT_FALSE(parse_bool(no).value());
  EXPECT_FALSE(parse_bool("maybe"));
}

TEST(ParseEndpoint, ParsesHostPortPortOnlyAndBracketedIpv6) {
  auto full = parse_endpoint("10.0.0.1:9000", "127.0.0.1").value();
  EXPECT_EQ(full.host, "10.0.0.1");
  EXPECT_EQ(full.port, 9000);
  auto port_only = parse_endpoint(":9000", "127.0.0.1").value();
  EXPECT_EQ(port_only.host, "127.0.0.1");
  EXPECT_EQ(port_only.port, 9000);
  auto v6 = parse_endpoint("[::1]:8080", "127.0.0.1").value();
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.to_string(), "[::1]:8080");
}

TEST(ParseEndpoint, RejectsMalformedAddressesWithTheFix) {
  auto no_colon = parse_endpoint("8080", "127.0.0.1");
  ASSERT_FALSE(no_colon);
  EXPECT_NE(no_colon.error().message.find("did you mean ':8080'"), std::string::npos);
  auto bare_v6 = parse_endpoint("::1:8080", "127.0.0.1");
  ASSERT_FALSE(bare_v6);
  EXPECT_NE(bare_v6.error().message.find("brackets"), std::string::npos);
  EXPECT_FALSE(parse_endpoint("host:70000", "127.0.0.1"));
  EXPECT_FALSE(parse_endpoint("host:http", "127.0.0.1"));
  EXPECT_FALSE(parse_endpoint("[nothex]:80", "127.0.0.1"));
  EXPECT_FALSE(parse_endpoint("ho st:80", "127.0.0.1"));
}

}  // namespace
}  // namespace constellation::config
