// Service check declarations and verdicts (service_check.hpp).
#include "agent/health/service_check.hpp"

#include <algorithm>
#include <charconv>

#include "shared/duration.hpp"
#include "shared/strings.hpp"

namespace constellation::health {
namespace {

std::optional<int> number(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Error bad(std::string_view entry, const std::string& why) {
  return Error{ErrorCode::invalid_argument,
               "service check '" + std::string(entry) + "': " + why +
                   " (form: NAME=http://HOST:PORT/PATH or NAME=tcp://HOST:PORT, then optional "
                   ";interval=10s ;timeout=2s ;expect=200)"};
}

}  // namespace

Result<ServiceCheck> parse_service_check(std::string_view entry) {
  auto parts = split(entry, ';');
  ServiceCheck check;
  auto head = std::string(trim(parts.at(0)));
  auto eq = head.find('=');
  if (eq == std::string::npos || eq == 0) return std::unexpected(bad(entry, "no NAME="));
  check.name = std::string(trim(head.substr(0, eq)));
  check.url = std::string(trim(head.substr(eq + 1)));
  if (std::ranges::any_of(check.name, [](unsigned char c) { return std::isspace(c) != 0; }))
    return std::unexpected(bad(entry, "the name has spaces"));
  if (check.url.starts_with("tcp://")) {
    check.tcp = true;
    auto rest = std::string_view(check.url).substr(6);
    auto colon = rest.rfind(':');
    auto port = colon == std::string_view::npos ? std::nullopt : number(rest.substr(colon + 1));
    if (!port || *port < 1 || *port > 65535 || colon == 0)
      return std::unexpected(bad(entry, "a tcp check needs tcp://HOST:PORT"));
    check.host = std::string(rest.substr(0, colon));
    if (check.host.size() > 2 && check.host.front() == '[' && check.host.back() == ']')
      check.host = check.host.substr(1, check.host.size() - 2);
    check.port = *port;
  } else if (!check.url.starts_with("http://") && !check.url.starts_with("https://")) {
    return std::unexpected(bad(entry, "the URL must start with http://, https:// or tcp://"));
  }
  for (std::size_t i = 1; i < parts.size(); ++i) {
    auto option = std::string(trim(parts[i]));
    if (option.empty()) continue;
    auto oeq = option.find('=');
    auto key = option.substr(0, oeq);
    auto value = oeq == std::string::npos ? std::string() : option.substr(oeq + 1);
    if (key == "interval" || key == "timeout") {
      auto duration = parse_duration(value);
      if (!duration || duration->count() < 100)
        return std::unexpected(
            bad(entry, key + "=" + value + " is not a duration of 100ms or more"));
      (key == "interval" ? check.interval : check.timeout) = *duration;
    } else if (key == "expect" && !check.tcp) {
      auto status = number(value);
      if (!status || *status < 100 || *status > 599)
        return std::unexpected(bad(entry, "expect=" + value + " is not an HTTP status"));
      check.expect_status = *status;
    } else {
      return std::unexpected(bad(entry, "unknown setting '" + key + "'"));
    }
  }
  return check;
}

Result<std::vector<ServiceCheck>> parse_service_checks(const std::vector<std::string>& entries) {
  std::vector<ServiceCheck> out;
  for (const auto& entry : entries) {
    if (trim(entry).empty()) continue;
    auto check = parse_service_check(entry);
    if (!check) return std::unexpected(check.error());
    if (std::ranges::any_of(out, [&](const auto& c) { return c.name == check->name; }))
      return fail(ErrorCode::invalid_argument,
                  "service check '" + check->name + "' is declared twice");
    out.push_back(std::move(*check));
  }
  return out;
}

std::string check_failure(const ServiceCheck& check, const ProbeOutcome& outcome) {
  if (!outcome.reached) return outcome.error.empty() ? "unreachable" : outcome.error;
  if (check.tcp) return "";
  if (check.expect_status != 0 ? outcome.http_status == check.expect_status
                               : outcome.http_status >= 200 && outcome.http_status < 300)
    return "";
  return check.url + " answered HTTP " + std::to_string(outcome.http_status) + ", expected " +
         (check.expect_status ? std::to_string(check.expect_status) : std::string("2xx"));
}

cluster::ServiceRecord check_record(const ServiceCheck& check, const ProbeOutcome& outcome,
                                    std::string_view node, std::int64_t now_ms) {
  cluster::ServiceRecord record;
  record.service = check.name;
  record.node = std::string(node);
  record.status = check_failure(check, outcome).empty() ? cluster::HealthStatus::healthy
                                                        : cluster::HealthStatus::unhealthy;
  const auto scheme = check.url.substr(0, check.url.find(':'));
  record.endpoints[scheme] = check.url;
  record.source = "check:" + check.name;
  record.checked_at_ms = now_ms;
  return record;
}

}  // namespace constellation::health
