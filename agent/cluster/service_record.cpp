// Names and JSON for service-health records (service_record.hpp).
#include "agent/cluster/service_record.hpp"

#include <array>
#include <utility>

namespace constellation::cluster {
namespace {
constexpr std::array<std::pair<HealthStatus, std::string_view>, 5> kStatusNames{{
    {HealthStatus::healthy, "healthy"},
    {HealthStatus::unhealthy, "unhealthy"},
    {HealthStatus::starting, "starting"},
    {HealthStatus::running, "running"},
    {HealthStatus::stopped, "stopped"},
}};
}  // namespace

std::string_view health_status_name(HealthStatus status) {
  for (const auto& [value, name] : kStatusNames)
    if (value == status) return name;
  return "stopped";
}

std::optional<HealthStatus> parse_health_status(std::string_view name) {
  for (const auto& [value, text] : kStatusNames)
    if (text == name) return value;
  return std::nullopt;
}

bool ServiceRecord::same_state(const ServiceRecord& other) const {
  return service == other.service && node == other.node && status == other.status &&
         endpoints == other.endpoints && networks == other.networks && source == other.source &&
         removed == other.removed;
}

nlohmann::json to_json(const ServiceRecord& record) {
  nlohmann::json json{{"service", record.service},
                      {"node", record.node},
                      {"status", std::string(health_status_name(record.status))},
                      {"endpoints", record.endpoints},
                      {"networks", record.networks},
                      {"source", record.source},
                      {"checked_at_ms", record.checked_at_ms},
                      {"version", record.version}};
  if (record.removed) json["removed"] = true;
  return json;
}

std::optional<ServiceRecord> record_from_json(const nlohmann::json& json, std::string* error) {
  auto failed = [&](std::string message) -> std::optional<ServiceRecord> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  if (!json.is_object()) return failed("a service record must be an object");
  ServiceRecord record;
  for (const char* key : {"service", "node", "status"})
    if (!json.contains(key) || !json[key].is_string())
      return failed(std::string("service record needs a string '") + key + "'");
  record.service = json["service"].get<std::string>();
  record.node = json["node"].get<std::string>();
  auto status = parse_health_status(json["status"].get<std::string>());
  if (!status) return failed("unknown service status '" + json["status"].get<std::string>() + "'");
  record.status = *status;
  if (record.service.empty() || record.node.empty())
    return failed("service record has an empty service or node name");
  if (auto it = json.find("endpoints"); it != json.end()) {
    if (!it->is_object()) return failed("'endpoints' must be an object of strings");
    for (const auto& [protocol, url] : it->items()) {
      if (!url.is_string()) return failed("endpoint '" + protocol + "' must be a string");
      record.endpoints[protocol] = url.get<std::string>();
    }
  }
  if (auto it = json.find("networks"); it != json.end()) {
    if (!it->is_array()) return failed("'networks' must be an array of strings");
    for (const auto& network : *it) {
      if (!network.is_string()) return failed("'networks' must be an array of strings");
      record.networks.push_back(network.get<std::string>());
    }
  }
  if (auto it = json.find("source"); it != json.end() && it->is_string())
    record.source = it->get<std::string>();
  if (auto it = json.find("checked_at_ms"); it != json.end() && it->is_number_integer())
    record.checked_at_ms = it->get<std::int64_t>();
  if (auto it = json.find("version"); it != json.end()) {
    if (!it->is_number_unsigned() && !it->is_number_integer())
      return failed("'version' must be a non-negative integer");
    record.version = it->get<std::uint64_t>();
  }
  if (auto it = json.find("removed"); it != json.end() && it->is_boolean())
    record.removed = it->get<bool>();
  return record;
}

}  // namespace constellation::cluster
