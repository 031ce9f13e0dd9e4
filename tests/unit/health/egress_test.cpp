// Egress parsing: the trace document read as a map with warp=on|plus accepted, and public-IP
// answers accepted only when they are addresses, PUBLIC_IP first.
#include <gtest/gtest.h>

#include "agent/health/egress.hpp"

namespace constellation::health {
namespace {

constexpr std::string_view kTrace =
    "fl=470f126\nh=www.cloudflare.com\nip=104.28.212.141\nts=1751970123.456\nwarp=on\n"
    "gateway=off\nkex=X25519\n";

TEST(WarpTrace, ReadsTheDocumentAsAMapWhateverTheOrder) {
  auto trace = parse_trace(kTrace);
  EXPECT_EQ(trace.at("ip"), "104.28.212.141");
  EXPECT_EQ(warp_state(trace), WarpState::on);
  EXPECT_EQ(warp_state(parse_trace("warp=plus\r\nfl=1\r\n")), WarpState::plus);
  EXPECT_EQ(warp_state(parse_trace("fl=1\nwarp=off\n")), WarpState::off);
  EXPECT_EQ(warp_state(parse_trace("<html>not a trace</html>")), WarpState::missing);
}

TEST(WarpVerdict, NeedsTheGatewayRunningAndWarpOnOrPlus) {
  EXPECT_TRUE(warp_verdict(true, "warp-nat-gateway", parse_trace(kTrace)).has_value());
  auto stopped = warp_verdict(false, "warp-nat-gateway", parse_trace(kTrace));
  ASSERT_FALSE(stopped.has_value());
  EXPECT_NE(stopped.error().message.find("warp-nat-gateway is not running"), std::string::npos);
  auto off = warp_verdict(true, "warp-nat-gateway", parse_trace("warp=off\n"));
  ASSERT_FALSE(off.has_value());
  EXPECT_NE(off.error().message.find("warp=off"), std::string::npos);
  EXPECT_FALSE(warp_verdict(true, "g", parse_trace("fl=1\n")).has_value());
}

TEST(PublicIp, AcceptsTrimmedAddressesOnly) {
  EXPECT_EQ(*parse_public_ip("a", " 203.0.113.7\n"), "203.0.113.7");
  EXPECT_EQ(*parse_public_ip("a", "2001:db8::1\n"), "2001:db8::1");
  auto html = parse_public_ip("http://127.0.0.1:9/ip", "<html>rate limited</html>");
  ASSERT_FALSE(html.has_value());
  EXPECT_NE(html.error().message.find("http://127.0.0.1:9/ip"), std::string::npos);
  EXPECT_FALSE(parse_public_ip("a", "").has_value());
}

TEST(PublicIp, PrefersPublicIpThenTheFirstValidAnswer) {
  std::vector<std::pair<std::string, Result<std::string>>> answers{
      {"one", fail(ErrorCode::timeout, "timed out")},
      {"two", std::string("garbage")},
      {"three", std::string("198.51.100.4\n")},
      {"four", std::string("192.0.2.1")}};
  EXPECT_EQ(*choose_public_ip("203.0.113.9", answers), "203.0.113.9");
  EXPECT_EQ(*choose_public_ip("", answers), "198.51.100.4");
  auto none = choose_public_ip("", {{"one", fail(ErrorCode::timeout, "timed out")}});
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("one: timed out"), std::string::npos);
  EXPECT_FALSE(choose_public_ip("", {}).has_value());
}

}  // namespace
}  // namespace constellation::health
