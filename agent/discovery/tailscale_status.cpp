// Parsing ipnstate.Status and filtering its peers; see tailscale_status.hpp. Field names and
// shapes follow the contract (external-apis.md §4.1): Peer is a map keyed by "nodekey:…",
// DNSName ends in a dot, Tags is omitted when empty.
#include "agent/discovery/tailscale_status.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

namespace constellation::discovery {
namespace {
using nlohmann::json;

Result<std::string> string_field(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string())
    return fail(ErrorCode::invalid_argument,
                "tailscale status: " + where + "." + key + " is not a string");
  return it->get<std::string>();
}

Result<std::vector<std::string>> string_list(const json& object, const char* key,
                                             const std::string& where) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return out;
  if (!it->is_array())
    return fail(ErrorCode::invalid_argument,
                "tailscale status: " + where + "." + key + " is not an array");
  for (const auto& item : *it) {
    if (!item.is_string())
      return fail(ErrorCode::invalid_argument,
                  "tailscale status: " + where + "." + key + " holds a non-string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<TailnetPeer> parse_peer(const json& object, const std::string& where) {
  if (!object.is_object())
    return fail(ErrorCode::invalid_argument, "tailscale status: " + where + " is not an object");
  TailnetPeer peer;
  auto name = string_field(object, "HostName", where);
  if (!name) return std::unexpected(name.error());
  auto dns = string_field(object, "DNSName", where);
  if (!dns) return std::unexpected(dns.error());
  auto ips = string_list(object, "TailscaleIPs", where);
  if (!ips) return std::unexpected(ips.error());
  auto tags = string_list(object, "Tags", where);
  if (!tags) return std::unexpected(tags.error());
  peer.name = std::move(*name);
  peer.dns_name = std::move(*dns);
  if (peer.dns_name.ends_with('.')) peer.dns_name.pop_back();
  peer.ips = std::move(*ips);
  peer.tags = std::move(*tags);
  if (auto it = object.find("Online"); it != object.end() && !it->is_null()) {
    if (!it->is_boolean())
      return fail(ErrorCode::invalid_argument,
                  "tailscale status: " + where + ".Online is not a boolean");
    peer.online = it->get<bool>();
  }
  return peer;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}
}  // namespace

std::string TailnetPeer::ipv4() const {
  for (const auto& ip : ips)
    if (ip.find(':') == std::string::npos && ip.find('.') != std::string::npos) return ip;
  return {};
}

Result<TailnetStatus> parse_tailnet_status(std::string_view text) {
  auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded())
    return fail(ErrorCode::invalid_argument,
                "tailscale status is not valid JSON (" + std::to_string(text.size()) +
                    " bytes); is the socket or command really tailscale's?");
  if (!doc.is_object())
    return fail(ErrorCode::invalid_argument, "tailscale status is not a JSON object");
  TailnetStatus status;
  auto state = string_field(doc, "BackendState", "Status");
  if (!state) return std::unexpected(state.error());
  status.backend_state = std::move(*state);
  if (auto it = doc.find("Self"); it != doc.end() && !it->is_null()) {
    auto self = parse_peer(*it, "Self");
    if (!self) return std::unexpected(self.error());
    status.self = std::move(*self);
  }
  if (auto it = doc.find("Peer"); it != doc.end() && !it->is_null()) {
    if (!it->is_object())
      return fail(ErrorCode::invalid_argument,
                  "tailscale status: Peer is not an object keyed by node key");
    for (const auto& [key, value] : it->items()) {
      auto peer = parse_peer(value, "Peer[" + key + "]");
      if (!peer) return std::unexpected(peer.error());
      status.peers.push_back(std::move(*peer));
    }
  }
  // The map's order is the node keys' order, which means nothing; sort by name for stable
  // logs and joins.
  std::stable_sort(status.peers.begin(), status.peers.end(), [](const auto& a, const auto& b) {
    return std::tie(a.dns_name, a.name) < std::tie(b.dns_name, b.name);
  });
  return status;
}

Status require_running(const TailnetStatus& status) {
  if (status.backend_state == "Running") return {};
  std::string state = status.backend_state.empty() ? "(none)" : status.backend_state;
  std::string hint = "start tailscaled and run `tailscale up`";
  if (state == "NeedsLogin") hint = "log this node in with `tailscale up` (or `tailscale login`)";
  if (state == "NeedsMachineAuth") hint = "approve this machine in the tailnet's admin console";
  if (state == "Stopped") hint = "run `tailscale up` to connect";
  return fail(ErrorCode::unavailable,
              "tailscale is not running (BackendState " + state + "): " + hint);
}

bool glob_match(std::string_view pattern, std::string_view name) {
  return ::fnmatch(lower(pattern).c_str(), lower(name).c_str(), 0) == 0;
}

std::vector<TailnetPeer> select_peers(const TailnetStatus& status, const PeerFilter& filter) {
  std::vector<TailnetPeer> out;
  for (const auto& peer : status.peers) {
    if (!peer.online || peer.ips.empty()) continue;
    if (!filter.tag.empty() &&
        std::find(peer.tags.begin(), peer.tags.end(), filter.tag) == peer.tags.end())
      continue;
    if (!filter.name_pattern.empty() && !glob_match(filter.name_pattern, peer.name) &&
        !glob_match(filter.name_pattern, peer.dns_name))
      continue;
    out.push_back(peer);
  }
  return out;
}

}  // namespace constellation::discovery
