// Names and JSON for service-health records (service_record.hpp).
#include "agent/cluster/service_record.hpp"

#include <algorithm>
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
         removed == other.removed && instances == other.instances && ready == other.ready;
}

namespace {
// Lower is more urgent for an operator: a node's service is as bad as its worst instance.
int urgency(HealthStatus status) {
  switch (status) {
    case HealthStatus::unhealthy:
      return 0;
    case HealthStatus::starting:
      return 1;
    case HealthStatus::healthy:
      return 2;
    case HealthStatus::running:
      return 3;
    case HealthStatus::stopped:
      return 4;
  }
  return 4;
}

bool serving(HealthStatus status) {
  return status == HealthStatus::healthy || status == HealthStatus::running;
}
}  // namespace

std::vector<ServiceRecord> merge_instances(std::vector<ServiceRecord> records) {
  std::vector<ServiceRecord> out;
  std::map<std::string, std::size_t> index;
  for (auto& record : records) {
    record.instances = 1;
    record.ready = serving(record.status) ? 1 : 0;
    auto [it, fresh] = index.try_emplace(record.service, out.size());
    if (fresh) {
      out.push_back(std::move(record));
      continue;
    }
    ServiceRecord& merged = out[it->second];
    ++merged.instances;
    merged.ready += record.ready;
    if (urgency(record.status) < urgency(merged.status)) merged.status = record.status;
    for (const auto& [protocol, url] : record.endpoints) {
      std::string key = protocol;
      for (int n = 2; merged.endpoints.contains(key); ++n) key = protocol + "#" + std::to_string(n);
      merged.endpoints[key] = url;
    }
    for (const auto& network : record.networks)
      if (std::find(merged.networks.begin(), merged.networks.end(), network) ==
          merged.networks.end())
        merged.networks.push_back(network);
    if (!record.source.empty()) merged.source += (merged.source.empty() ? "" : ",") + record.source;
    merged.checked_at_ms = std::max(merged.checked_at_ms, record.checked_at_ms);
  }
  return out;
}

nlohmann::json to_json(const ServiceRecord& record) {
  nlohmann::json json{{"service", record.service},
                      {"node", record.node},
                      {"status", std::string(health_status_name(record.status))},
                      {"endpoints", record.endpoints},
                      {"networks", record.networks},
                      {"source", record.source},
                      {"checked_at_ms", record.checked_at_ms},
                      {"version", record.version},
                      {"instances", record.instances},
                      {"ready", record.ready}};
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
  // Absent in records from agents that predate instance counts: one instance.
  record.ready = record.status == HealthStatus::healthy || record.status == HealthStatus::running;
  for (const char* key : {"instances", "ready"}) {
    auto it = json.find(key);
    if (it == json.end()) continue;
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() > 1'000'000)
      return failed(std::string("'") + key + "' must be a count (0 to 1000000)");
    (std::string_view(key) == "instances" ? record.instances : record.ready) =
        it->get<std::uint32_t>();
  }
  return record;
}

}  // namespace constellation::cluster
