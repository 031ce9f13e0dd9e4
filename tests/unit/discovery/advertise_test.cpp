// The advertised-address rules: configured value, specific bind, Tailscale IPv4, first
// interface IPv4, loopback with a warning, in that order.
#include <gtest/gtest.h>

#include "agent/discovery/advertise.hpp"

using namespace constellation;
using namespace constellation::discovery;

TEST(Advertise, TheConfiguredValueWinsOverEverything) {
  auto choice = choose_advertise({.configured = "100.64.0.9",
                                  .bind_host = "10.0.0.1",
                                  .tailscale_ipv4 = "100.64.0.1",
                                  .interface_ipv4s = {"192.168.1.2"}});
  ASSERT_TRUE(choice) << choice.error().message;
  EXPECT_EQ(choice->host, "100.64.0.9");
  EXPECT_FALSE(choice->port);
  EXPECT_EQ(choice->reason, "configured");
}

TEST(Advertise, AConfiguredPortIsKept) {
  auto v4 = choose_advertise({.configured = "203.0.113.7:17946", .bind_host = "0.0.0.0"});
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "203.0.113.7");
  EXPECT_EQ(v4->port, 17946);
  auto v6 = choose_advertise({.configured = "[fd7a:115c:a1e0::5]:7946", .bind_host = "::"});
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "fd7a:115c:a1e0::5");
  EXPECT_EQ(v6->port, 7946);
  auto bare_v6 = choose_advertise({.configured = "fd7a:115c:a1e0::5", .bind_host = "::"});
  ASSERT_TRUE(bare_v6);
  EXPECT_EQ(bare_v6->host, "fd7a:115c:a1e0::5");
  EXPECT_FALSE(bare_v6->port);
}

TEST(Advertise, AConfiguredValueThatIsNotAnIpIsRejectedWithAnExample) {
  for (std::string bad : {"node.example.org", "100.64.0.9:0", "100.64.0.9:x", "0.0.0.0", "[::1",
                          "100.64.0.9:70000"}) {
    auto choice = choose_advertise({.configured = bad, .bind_host = "0.0.0.0"});
    ASSERT_FALSE(choice) << bad;
    EXPECT_EQ(choice.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(choice.error().message.find("gossip_advertise '" + bad + "'"), std::string::npos);
  }
}

TEST(Advertise, ASpecificBindAddressIsAdvertisedAsIs) {
  auto choice = choose_advertise(
      {.bind_host = "10.0.0.1", .tailscale_ipv4 = "100.64.0.1", .interface_ipv4s = {"1.2.3.4"}});
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->host, "10.0.0.1");
  EXPECT_EQ(choice->reason, "bind");
}

TEST(Advertise, AWildcardBindPrefersTheTailscaleIpv4) {
  auto choice = choose_advertise(
      {.bind_host = "0.0.0.0", .tailscale_ipv4 = "100.64.0.1", .interface_ipv4s = {"192.168.1.2"}});
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->host, "100.64.0.1");
  EXPECT_EQ(choice->reason, "tailscale");
  EXPECT_TRUE(choice->warning.empty());
}

TEST(Advertise, WithoutTailscaleTheFirstInterfaceAddressIsUsed) {
  auto choice =
      choose_advertise({.bind_host = "::", .interface_ipv4s = {"192.168.1.2", "10.9.9.9"}});
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->host, "192.168.1.2");
  EXPECT_EQ(choice->reason, "interface");
}

TEST(Advertise, WithNothingRoutableItFallsBackToLoopbackAndSaysWhatToSet) {
  auto choice = choose_advertise({.bind_host = "0.0.0.0"});
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->host, "127.0.0.1");
  EXPECT_EQ(choice->reason, "fallback");
  EXPECT_NE(choice->warning.find("gossip_advertise"), std::string::npos);
}

TEST(Advertise, InterfaceScanNeverReturnsLoopback) {
  for (const auto& ip : up_interface_ipv4s()) EXPECT_FALSE(ip.starts_with("127.")) << ip;
}
