// Services that are not containers, declared in configuration (option service_checks) as
// "NAME=URL[;interval=10s][;timeout=2s][;expect=200]" with an http(s):// or tcp://HOST:PORT
// URL. Sans-IO: parsing the declaration and turning a probe outcome into the same
// ServiceRecord the Docker monitor produces (source "check:NAME").
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "agent/cluster/service_record.hpp"
#include "shared/error.hpp"

namespace constellation::health {

struct ServiceCheck {
  std::string name{};
  std::string url{};  ///< http://…, https://… or tcp://host:port
  bool tcp = false;
  std::string host{};  ///< for tcp
  int port = 0;        ///< for tcp
  std::chrono::milliseconds interval{std::chrono::seconds(10)};
  std::chrono::milliseconds timeout{std::chrono::seconds(2)};
  int expect_status = 0;  ///< http: 0 = any 2xx, else exactly this status
};

/// Parses one declaration; invalid_argument names the entry and the part that is wrong.
Result<ServiceCheck> parse_service_check(std::string_view entry);
/// Parses every declaration; names must be unique.
Result<std::vector<ServiceCheck>> parse_service_checks(const std::vector<std::string>& entries);

/// What one probe found: an HTTP status (http), connected (tcp), or the failure.
struct ProbeOutcome {
  bool reached = false;
  int http_status = 0;
  std::string error{};
};

/// healthy when reached and (tcp, or the status is the expected one / any 2xx); else unhealthy.
/// The record's endpoints map the check's protocol to its URL.
cluster::ServiceRecord check_record(const ServiceCheck& check, const ProbeOutcome& outcome,
                                    std::string_view node, std::int64_t now_ms);

/// Why a probe outcome is unhealthy, for logs and events ("" when healthy).
std::string check_failure(const ServiceCheck& check, const ProbeOutcome& outcome);

}  // namespace constellation::health
