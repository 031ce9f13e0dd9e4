// Service check declarations and verdicts: http and tcp forms with their settings, clear
// errors naming the entry, and the record a probe outcome maps to.
#include <gtest/gtest.h>

#include "agent/health/service_check.hpp"

namespace constellation::health {
namespace {

using namespace std::chrono_literals;

TEST(ServiceCheckParsing, ReadsHttpAndTcpFormsWithSettings) {
  auto web = parse_service_check("web=http://10.0.0.5:8080/healthz;interval=5s;expect=204");
  ASSERT_TRUE(web.has_value()) << web.error().message;
  EXPECT_EQ(web->name, "web");
  EXPECT_FALSE(web->tcp);
  EXPECT_EQ(web->interval, 5s);
  EXPECT_EQ(web->timeout, 2s);
  EXPECT_EQ(web->expect_status, 204);
  auto db = parse_service_check("db = tcp://[::1]:5432 ; timeout=500ms");
  ASSERT_TRUE(db.has_value()) << db.error().message;
  EXPECT_TRUE(db->tcp);
  EXPECT_EQ(db->host, "::1");
  EXPECT_EQ(db->port, 5432);
  EXPECT_EQ(db->timeout, 500ms);
}

TEST(ServiceCheckParsing, RejectsBadEntriesNamingThem) {
  for (const char* entry :
       {"nourl", "x=ftp://h/", "x=tcp://host", "x=tcp://h:99999", "x=http://h/;interval=soon",
        "x=http://h/;expect=2000", "x=http://h/;color=red", "x=tcp://h:1;expect=200"}) {
    auto check = parse_service_check(entry);
    ASSERT_FALSE(check.has_value()) << entry;
    EXPECT_NE(check.error().message.find(entry), std::string::npos) << check.error().message;
  }
  EXPECT_FALSE(parse_service_checks({"a=tcp://h:1", "a=tcp://h:2"}).has_value());
}

TEST(ServiceCheckVerdict, MapsOutcomesToHealthyOrUnhealthyRecords) {
  auto web = *parse_service_check("web=http://h:1/");
  auto record = check_record(web, {.reached = true, .http_status = 200, .error = {}}, "n1", 7);
  EXPECT_EQ(record.status, cluster::HealthStatus::healthy);
  EXPECT_EQ(record.source, "check:web");
  EXPECT_EQ(record.endpoints.at("http"), "http://h:1/");
  EXPECT_EQ(record.node, "n1");
  auto failing = ProbeOutcome{.reached = true, .http_status = 503, .error = {}};
  EXPECT_EQ(check_record(web, failing, "n1", 7).status, cluster::HealthStatus::unhealthy);
  EXPECT_NE(check_failure(web, failing).find("HTTP 503, expected 2xx"), std::string::npos);
  auto down = ProbeOutcome{.reached = false, .http_status = 0, .error = "refused"};
  EXPECT_EQ(check_failure(web, down), "refused");
  auto strict = *parse_service_check("s=http://h:1/;expect=401");
  EXPECT_EQ(check_record(strict, {.reached = true, .http_status = 401, .error = {}}, "n", 0).status,
            cluster::HealthStatus::healthy);
}

}  // namespace
}  // namespace constellation::health
