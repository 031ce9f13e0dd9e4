// Network decisions (network_plan.hpp). Only names and subnets are compared: the engine may
// add its own options and labels to a network an operator created by hand.
#include "agent/docker/network_plan.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

#include "shared/strings.hpp"

namespace constellation::docker {
namespace {

bool valid_cidr(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  std::string address(text.substr(0, slash));
  auto bits_text = text.substr(slash + 1);
  int bits = -1;
  auto [end, ec] = std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
  if (ec != std::errc() || end != bits_text.data() + bits_text.size() || bits < 8 || bits > 30)
    return false;
  in_addr parsed{};
  return ::inet_pton(AF_INET, address.c_str(), &parsed) == 1;
}

bool valid_network_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::ranges::all_of(name, [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

Result<std::vector<DesiredNetwork>> parse_desired_networks(
    const std::vector<std::string>& entries) {
  std::vector<DesiredNetwork> out;
  for (const auto& raw : entries) {
    std::string entry(trim(raw));
    if (entry.empty()) continue;
    auto eq = entry.find('=');
    std::string name = eq == std::string::npos ? entry : std::string(trim(entry.substr(0, eq)));
    std::string subnet = eq == std::string::npos ? "" : std::string(trim(entry.substr(eq + 1)));
    if (!valid_network_name(name) || !valid_cidr(subnet))
      return fail(ErrorCode::invalid_argument,
                  "docker network entry '" + entry +
                      "' is not NAME=IPv4-CIDR (e.g. backend=10.0.7.0/24, prefix /8 to /30)");
    if (std::ranges::any_of(out, [&](const auto& d) { return d.name == name; }))
      return fail(ErrorCode::invalid_argument,
                  "docker network '" + name + "' is listed twice; give each network once");
    out.push_back({std::move(name), std::move(subnet)});
  }
  return out;
}

std::vector<NetworkCheck> check_networks(const std::vector<DesiredNetwork>& desired,
                                         const std::vector<NetworkInfo>& existing) {
  std::vector<NetworkCheck> out;
  for (const auto& want : desired) {
    NetworkCheck check{
        .desired = want, .state = NetworkState::missing, .actual_subnets = {}, .id = {}};
    auto it = std::ranges::find(existing, want.name, &NetworkInfo::name);
    if (it != existing.end()) {
      check.id = it->id;
      std::vector<std::string> subnets;
      for (const auto& pool : it->pools) subnets.push_back(pool.subnet);
      bool matches = std::ranges::find(subnets, want.subnet) != subnets.end();
      check.state = matches ? NetworkState::present : NetworkState::conflict;
      check.actual_subnets = subnets.empty() ? std::string("no subnet") : join(subnets, ",");
    }
    out.push_back(std::move(check));
  }
  return out;
}

std::string conflict_message(const NetworkCheck& check) {
  return "network " + check.desired.name + " exists with " + check.actual_subnets +
         " but the configuration wants " + check.desired.subnet +
         "; it is left alone (remove it with docker network rm, or set docker_networks to its "
         "subnet)";
}

std::vector<Attachment> plan_attachments(const std::vector<const MappedContainer*>& containers,
                                         const std::vector<std::string>& usable) {
  auto can_use = [&](std::string_view network) {
    return std::ranges::find(usable, network) != usable.end();
  };
  auto attached = [](const MappedContainer& c, std::string_view network) {
    return std::ranges::find(c.record.networks, network) != c.record.networks.end();
  };
  std::vector<Attachment> out;
  for (const auto* c : containers) {
    if (c->state != "running") continue;
    if (c->traefik_enabled && can_use(kPublicNetwork) && !attached(*c, kPublicNetwork))
      out.push_back({std::string(kPublicNetwork), c->name});
    if (c->warp_enabled && can_use(kWarpNetwork) && !attached(*c, kWarpNetwork))
      out.push_back({std::string(kWarpNetwork), c->name});
  }
  return out;
}

}  // namespace constellation::docker
