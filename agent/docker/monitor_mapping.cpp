// Container -> ServiceRecord mapping (monitor_mapping.hpp). Everything here is a pure
// function of the inspected container, so the monitor and its tests share one definition of
// identity, health and endpoints.
#include "agent/docker/monitor_mapping.hpp"

#include <algorithm>
#include <charconv>

#include "agent/docker/labels.hpp"
#include "shared/strings.hpp"

namespace constellation::docker {
namespace {

std::string warn_text(const ContainerInfo& info, std::string_view what) {
  return "container " + info.name + ": " + std::string(what);
}

bool has_space(std::string_view text) {
  return std::ranges::any_of(text, [](unsigned char c) { return std::isspace(c) != 0; });
}

std::optional<int> parse_port(std::string_view text) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535)
    return std::nullopt;
  return port;
}

/// The address endpoints are built on: the preferred network's, else the first non-empty one.
std::string container_address(const ContainerInfo& info, std::string_view preferred) {
  if (auto it = info.networks.find(std::string(preferred));
      it != info.networks.end() && !it->second.ip_address.empty())
    return it->second.ip_address;
  for (const auto& [name, attachment] : info.networks)
    if (!attachment.ip_address.empty()) return attachment.ip_address;
  return {};
}

void add_endpoint(std::map<std::string, std::string>& endpoints, const std::string& protocol,
                  const std::string& address, int port) {
  std::string url = protocol + "://" + address + ":" + std::to_string(port);
  if (std::ranges::any_of(endpoints, [&](const auto& e) { return e.second == url; })) return;
  std::string key = endpoints.contains(protocol) ? protocol + ":" + std::to_string(port) : protocol;
  endpoints[key] = std::move(url);
}

bool flag(const ContainerInfo& info, std::string_view key, std::vector<std::string>* warnings) {
  auto value = label_flag(info.labels, key);
  if (value) return *value;
  if (warnings) warnings->push_back(warn_text(info, value.error().message + "; treated as false"));
  return false;
}

}  // namespace

cluster::HealthStatus container_health(const ContainerInfo& info) {
  if (!info.running) return cluster::HealthStatus::stopped;
  if (info.health == "healthy") return cluster::HealthStatus::healthy;
  if (info.health == "unhealthy") return cluster::HealthStatus::unhealthy;
  if (info.health == "starting") return cluster::HealthStatus::starting;
  return cluster::HealthStatus::running;
}

std::string service_identity(const ContainerInfo& info, std::vector<std::string>* warnings) {
  for (auto key : {label_keys::service, label_keys::compose_service}) {
    auto it = info.labels.find(std::string(key));
    if (it == info.labels.end()) continue;
    if (!it->second.empty() && !has_space(it->second)) return it->second;
    if (warnings)
      warnings->push_back(warn_text(info, "label " + std::string(key) + "=\"" + it->second +
                                              "\" is not a service name (blank or with spaces); "
                                              "ignored"));
  }
  std::string name = info.name;
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  return name;
}

std::map<std::string, std::string> container_endpoints(const ContainerInfo& info,
                                                       std::string_view preferred_network,
                                                       std::vector<std::string>* warnings) {
  std::map<std::string, std::string> endpoints;
  const std::string address = container_address(info, preferred_network);
  // traefik.<proto>.services.<name>.loadbalancer.server.{port,scheme}
  for (const auto& [key, value] : info.labels) {
    if (!starts_with(key, label_keys::traefik_prefix)) continue;
    auto parts = split(key, '.');
    if (parts.size() != 7 || parts[2] != "services" || parts[4] != "loadbalancer" ||
        parts[5] != "server" || parts[6] != "port")
      continue;
    const std::string& proto = parts[1];
    if (proto != "http" && proto != "tcp" && proto != "udp") {
      if (warnings)
        warnings->push_back(warn_text(info, "label " + key + ": unknown Traefik protocol '" +
                                                proto + "' (use http, tcp or udp); ignored"));
      continue;
    }
    auto port = parse_port(trim(value));
    if (!port) {
      if (warnings)
        warnings->push_back(warn_text(
            info, "label " + key + "=\"" + value + "\" is not a port (1-65535); ignored"));
      continue;
    }
    std::string protocol = proto;
    if (proto == "http") {
      auto scheme =
          info.labels.find("traefik.http.services." + parts[3] + ".loadbalancer.server.scheme");
      if (scheme != info.labels.end()) {
        if (scheme->second == "http" || scheme->second == "https" || scheme->second == "h2c")
          protocol = scheme->second;
        else if (warnings)
          warnings->push_back(warn_text(info, "label " + scheme->first + "=\"" + scheme->second +
                                                  "\" is not http, https or h2c; http assumed"));
      }
    }
    if (!address.empty()) add_endpoint(endpoints, protocol, address, *port);
  }
  if (!endpoints.empty() || address.empty()) return endpoints;
  for (const auto& exposed : info.exposed_ports) {
    auto slash = exposed.find('/');
    std::string_view number = std::string_view(exposed).substr(0, slash);
    std::string protocol = slash == std::string::npos ? "tcp" : exposed.substr(slash + 1);
    auto port = parse_port(number);
    if (!port || (protocol != "tcp" && protocol != "udp" && protocol != "sctp")) continue;
    add_endpoint(endpoints, protocol, address, *port);
  }
  return endpoints;
}

MappedContainer map_container(const ContainerInfo& info, std::string_view node, std::int64_t now_ms,
                              std::string_view preferred_network) {
  MappedContainer out;
  out.id = info.id;
  out.name = info.name;
  out.image = info.image;
  out.state = info.status;
  out.health = info.health.empty() ? "none" : info.health;
  out.restart_count = info.restart_count;
  out.record.service = service_identity(info, &out.warnings);
  out.record.node = std::string(node);
  out.record.status = container_health(info);
  out.record.endpoints = container_endpoints(info, preferred_network, &out.warnings);
  for (const auto& [name, attachment] : info.networks) out.record.networks.push_back(name);
  out.record.source = "docker:" + info.name;
  out.record.checked_at_ms = now_ms;
  out.restart_on_unhealthy = flag(info, label_keys::restart_on_unhealthy, &out.warnings);
  out.traefik_enabled = flag(info, label_keys::traefik_enable, &out.warnings);
  out.warp_enabled = flag(info, label_keys::warp_enabled, &out.warnings);
  for (const auto& [key, value] : info.labels) {
    if (starts_with(key, "constellation.") || starts_with(key, label_keys::traefik_prefix) ||
        key == label_keys::compose_service || key == label_keys::restart_on_unhealthy ||
        key == label_keys::warp_enabled)
      out.labels_of_interest[key] = value;
  }
  return out;
}

nlohmann::json to_json(const MappedContainer& c) {
  return {{"name", c.name},
          {"id", c.id},
          {"image", c.image},
          {"service", c.record.service},
          {"state", c.state},
          {"health", c.health},
          {"status", std::string(cluster::health_status_name(c.record.status))},
          {"restart_count", c.restart_count},
          {"networks", c.record.networks},
          {"endpoints", c.record.endpoints},
          {"labels", c.labels_of_interest},
          {"warnings", c.warnings}};
}

}  // namespace constellation::docker
