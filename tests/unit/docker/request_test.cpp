// Request building: versioned paths, encoded filters, JSON bodies with the engine's units,
// and a content type on every POST.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "agent/docker/request.hpp"

namespace constellation::docker {
namespace {

using nlohmann::json;
constexpr ApiVersion k141{1, 41};

TEST(DockerRequests, PinTheNegotiatedVersionInEveryPathButPing) {
  EXPECT_EQ(requests::ping().target, "/_ping");
  EXPECT_EQ(requests::inspect_container(k141, "web").target, "/v1.41/containers/web/json");
  EXPECT_EQ(requests::version(ApiVersion{1, 47}).target, "/v1.47/version");
}

TEST(DockerRequests, EncodeLabelFiltersAsUrlEncodedJson) {
  auto r = requests::list_containers(k141, true, {{"label", {"constellation.service=web"}}});
  EXPECT_EQ(r.method, Method::get);
  EXPECT_EQ(r.target,
            "/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22constellation.service%"
            "3Dweb%22%5D%7D");
  EXPECT_EQ(requests::list_containers(k141, false).target, "/v1.41/containers/json");
}

TEST(DockerRequests, EveryPostCarriesAContentType) {
  ContainerSpec spec{.image = "busybox"};
  std::vector<Request> posts = {
      requests::create_container(k141, "web", spec),
      requests::start_container(k141, "web"),
      requests::stop_container(k141, "web", 3),
      requests::restart_container(k141, "web", std::nullopt),
      requests::create_network(k141, NetworkSpec{.name = "backend"}),
      requests::connect_network(k141, "backend", "web"),
  };
  for (const auto& r : posts) {
    EXPECT_EQ(r.method, Method::post) << r.describe();
    EXPECT_EQ(r.content_type, "application/json") << r.describe();
  }
  EXPECT_EQ(requests::build_image(k141, {}, "tar").content_type, "application/x-tar");
  EXPECT_EQ(requests::import_image(k141, "img", "1", "tar").content_type, "application/x-tar");
}

TEST(DockerRequests, StartSendsAnEmptyBody) {
  EXPECT_TRUE(requests::start_container(k141, "web").body.empty());
}

TEST(DockerRequests, StopAndRestartPassTheGracePeriod) {
  EXPECT_EQ(requests::stop_container(k141, "web", 3).target, "/v1.41/containers/web/stop?t=3");
  EXPECT_EQ(requests::restart_container(k141, "web", std::nullopt).target,
            "/v1.41/containers/web/restart");
  EXPECT_EQ(requests::remove_container(k141, "web", true).target, "/v1.41/containers/web?force=1");
  EXPECT_EQ(requests::remove_container(k141, "web", true).method, Method::del);
}

TEST(DockerRequests, CreateBodyUsesNanosecondHealthcheckDurations) {
  ContainerSpec spec{.image = "constellation-test:busybox",
                     .cmd = {"sleep", "100"},
                     .labels = {{"constellation.service", "web"}},
                     .healthcheck = HealthcheckSpec{.test = {"CMD-SHELL", "test -f /tmp/ok"},
                                                    .interval = std::chrono::milliseconds(500),
                                                    .retries = 2},
                     .binds = {"/srv:/data:ro"},
                     .restart_policy = "unless-stopped"};
  auto r = requests::create_container(k141, "web 1", spec);
  EXPECT_EQ(r.target, "/v1.41/containers/create?name=web%201");
  auto body = json::parse(r.body);
  EXPECT_EQ(body["Image"], "constellation-test:busybox");
  EXPECT_EQ(body["Cmd"], json({"sleep", "100"}));
  EXPECT_EQ(body["Labels"]["constellation.service"], "web");
  EXPECT_EQ(body["Healthcheck"]["Interval"], 500'000'000);
  EXPECT_EQ(body["Healthcheck"]["Retries"], 2);
  EXPECT_EQ(body["Healthcheck"]["Test"], json({"CMD-SHELL", "test -f /tmp/ok"}));
  EXPECT_EQ(body["HostConfig"]["Binds"], json({"/srv:/data:ro"}));
  EXPECT_EQ(body["HostConfig"]["RestartPolicy"]["Name"], "unless-stopped");
}

TEST(DockerRequests, NetworkBodyCarriesIpamPools) {
  auto body = json::parse(
      network_create_body(NetworkSpec{.name = "backend", .pools = {{"10.0.7.0/24", "10.0.7.1"}}}));
  EXPECT_EQ(body["Name"], "backend");
  EXPECT_EQ(body["Driver"], "bridge");
  EXPECT_EQ(body["IPAM"]["Config"][0]["Subnet"], "10.0.7.0/24");
  EXPECT_EQ(body["IPAM"]["Config"][0]["Gateway"], "10.0.7.1");
  EXPECT_EQ(body["CheckDuplicate"], true) << "engines before API 1.44 allow duplicate names";
}

TEST(DockerRequests, EventsCarrySinceUntilAndFilters) {
  EventsQuery q{.filters = {{"type", {"container"}}}, .since = 100, .until = 200};
  EXPECT_EQ(requests::events(k141, q).target,
            "/v1.41/events?since=100&until=200&filters=%7B%22type%22%3A%5B%22container%22%5D%7D");
}

TEST(DockerRequests, BuildAndImportEncodeTheirQuery) {
  auto b = requests::build_image(k141, BuildOptions{.tag = "app:1"}, "TAR");
  EXPECT_EQ(b.target, "/v1.41/build?t=app%3A1&dockerfile=Dockerfile&rm=1");
  EXPECT_EQ(b.body, "TAR");
  EXPECT_EQ(requests::import_image(k141, "constellation-test", "busybox", "").target,
            "/v1.41/images/create?fromSrc=-&repo=constellation-test&tag=busybox");
}

TEST(UrlEncoding, KeepsUnreservedAndEscapesTheRest) {
  EXPECT_EQ(url_encode("a-Z_0.~"), "a-Z_0.~");
  EXPECT_EQ(url_encode("a b/&="), "a%20b%2F%26%3D");
}

}  // namespace
}  // namespace constellation::docker
