// Container -> ServiceRecord mapping: health states, service identity precedence, endpoints
// from Traefik labels or exposed ports, and malformed labels reported without dropping the
// container.
#include <gtest/gtest.h>

#include "agent/docker/monitor_mapping.hpp"

namespace constellation::docker {
namespace {

using cluster::HealthStatus;

ContainerInfo running_container(std::string name = "web-1") {
  ContainerInfo info;
  info.id = "0123456789abcdef";
  info.name = std::move(name);
  info.image = "nginx:1";
  info.status = "running";
  info.running = true;
  info.health = "none";
  info.networks["backend"] = NetworkAttachment{.network_id = "n1",
                                               .ip_address = "10.0.7.5",
                                               .prefix_len = 24,
                                               .gateway = "10.0.7.1",
                                               .aliases = {}};
  return info;
}

TEST(ContainerHealth, MapsStateAndHealthcheckToTheFiveStatuses) {
  auto info = running_container();
  EXPECT_EQ(container_health(info), HealthStatus::running);
  info.health = "healthy";
  EXPECT_EQ(container_health(info), HealthStatus::healthy);
  info.health = "unhealthy";
  EXPECT_EQ(container_health(info), HealthStatus::unhealthy);
  info.health = "starting";
  EXPECT_EQ(container_health(info), HealthStatus::starting);
  info.running = false;
  info.status = "exited";
  EXPECT_EQ(container_health(info), HealthStatus::stopped);
}

TEST(ServiceIdentity, PrefersConstellationLabelThenComposeThenName) {
  auto info = running_container("/proj-web-1");
  EXPECT_EQ(service_identity(info, nullptr), "proj-web-1");
  info.labels["com.docker.compose.service"] = "web";
  EXPECT_EQ(service_identity(info, nullptr), "web");
  info.labels["constellation.service"] = "frontend";
  EXPECT_EQ(service_identity(info, nullptr), "frontend");
}

TEST(ServiceIdentity, BlankLabelIsAWarningAndFallsThrough) {
  auto info = running_container();
  info.labels["constellation.service"] = "  ";
  info.labels["com.docker.compose.service"] = "web";
  std::vector<std::string> warnings;
  EXPECT_EQ(service_identity(info, &warnings), "web");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("container web-1"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("constellation.service"), std::string::npos) << warnings[0];
}

TEST(ContainerEndpoints, ComeFromTraefikServiceLabelsWithScheme) {
  auto info = running_container();
  info.labels["traefik.http.services.web.loadbalancer.server.port"] = "8080";
  info.labels["traefik.http.services.web.loadbalancer.server.scheme"] = "https";
  info.labels["traefik.tcp.services.db.loadbalancer.server.port"] = "5432";
  info.exposed_ports = {"9999/tcp"};  // ignored: Traefik labels win
  auto endpoints = container_endpoints(info, "publicnet", nullptr);
  EXPECT_EQ(endpoints, (std::map<std::string, std::string>{{"https", "https://10.0.7.5:8080"},
                                                           {"tcp", "tcp://10.0.7.5:5432"}}));
}

TEST(ContainerEndpoints, FallBackToExposedPortsAndPreferPublicnetAddress) {
  auto info = running_container();
  info.networks["publicnet"] = NetworkAttachment{.network_id = "n2",
                                                 .ip_address = "10.76.0.9",
                                                 .prefix_len = 16,
                                                 .gateway = "10.76.0.1",
                                                 .aliases = {}};
  info.exposed_ports = {"80/tcp", "443/tcp", "53/udp"};
  auto endpoints = container_endpoints(info, "publicnet", nullptr);
  EXPECT_EQ(endpoints, (std::map<std::string, std::string>{{"tcp", "tcp://10.76.0.9:80"},
                                                           {"tcp:443", "tcp://10.76.0.9:443"},
                                                           {"udp", "udp://10.76.0.9:53"}}));
}

TEST(ContainerEndpoints, NoAddressMeansNoEndpoints) {
  auto info = running_container();
  info.networks.clear();
  info.exposed_ports = {"80/tcp"};
  EXPECT_TRUE(container_endpoints(info, "publicnet", nullptr).empty());
}

TEST(ContainerMapping, MalformedLabelsAreWarningsNamingContainerAndLabelAndTheContainerStays) {
  auto info = running_container("api");
  info.health = "healthy";
  info.labels["traefik.http.services.api.loadbalancer.server.port"] = "eighty";
  info.labels["deunhealth.restart.on.unhealthy"] = "maybe";
  info.labels["traefik.enable"] = "true";
  auto mapped = map_container(info, "node-a", 1234);
  EXPECT_EQ(mapped.record.service, "api");
  EXPECT_EQ(mapped.record.status, HealthStatus::healthy);
  EXPECT_EQ(mapped.record.node, "node-a");
  EXPECT_EQ(mapped.record.source, "docker:api");
  EXPECT_EQ(mapped.record.checked_at_ms, 1234);
  EXPECT_EQ(mapped.record.networks, std::vector<std::string>{"backend"});
  EXPECT_FALSE(mapped.restart_on_unhealthy);
  EXPECT_TRUE(mapped.traefik_enabled);
  ASSERT_EQ(mapped.warnings.size(), 2u);
  bool port_warned = false, flag_warned = false;
  for (const auto& w : mapped.warnings) {
    EXPECT_EQ(w.rfind("container api: ", 0), 0u) << w;
    port_warned |= w.find("server.port=\"eighty\" is not a port") != std::string::npos;
    flag_warned |= w.find("deunhealth.restart.on.unhealthy=\"maybe\"") != std::string::npos;
  }
  EXPECT_TRUE(port_warned);
  EXPECT_TRUE(flag_warned);
}

TEST(ContainerMapping, KeepsOnlyLabelsOfInterestForTheApi) {
  auto info = running_container();
  info.labels = {{"constellation.service", "web"},
                 {"maintainer", "someone"},
                 {"traefik.enable", "true"},
                 {"deunhealth.restart.on.unhealthy", "true"}};
  auto mapped = map_container(info, "n", 0);
  EXPECT_EQ(mapped.labels_of_interest.size(), 3u);
  EXPECT_FALSE(mapped.labels_of_interest.contains("maintainer"));
  EXPECT_TRUE(mapped.restart_on_unhealthy);
  auto json = to_json(mapped);
  EXPECT_EQ(json["service"], "web");
  EXPECT_EQ(json["status"], "running");
  EXPECT_EQ(json["health"], "none");
}

}  // namespace
}  // namespace constellation::docker
