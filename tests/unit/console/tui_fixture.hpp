// A small cluster for the TUI's unit tests: three nodes (one dead), three services across
// them and a few journal events, all at fixed times so views render the same on every run.
#pragma once

#include <nlohmann/json.hpp>

#include "console/tui/model.hpp"

namespace constellation::console::tui::testing {

/// "Now" for every fixture view: 2026-11-29T12:00:00Z.
inline constexpr std::int64_t kNowMs = 1795953600000;

inline nlohmann::json fixture_nodes() {
  return nlohmann::json::parse(R"({"nodes":[
    {"name":"edge-1","state":"dead","priority":50,"capabilities":[],"address":"10.0.0.9:7946",
     "public_ip":"","tailscale_ip":"","self":false,"state_age_ms":600000,"incarnation":3},
    {"name":"home-1","state":"alive","priority":10,"capabilities":["lb","dns"],
     "address":"10.0.0.1:7946","public_ip":"203.0.113.5","tailscale_ip":"100.64.0.1",
     "self":true,"state_age_ms":7200000,"incarnation":1},
    {"name":"cloud-1","state":"alive","priority":20,"capabilities":["lb"],
     "address":"10.0.0.2:7946","public_ip":"198.51.100.7","tailscale_ip":"100.64.0.2",
     "self":false,"state_age_ms":45000,"incarnation":2}]})");
}

inline nlohmann::json fixture_services() {
  return nlohmann::json::parse(R"({"services":[
    {"service":"whoami","instances":2,"healthy":2,
     "nodes":[{"node":"home-1","status":"healthy"},{"node":"cloud-1","status":"healthy"}]},
    {"service":"api","instances":2,"healthy":0,
     "nodes":[{"node":"home-1","status":"unhealthy"},{"node":"cloud-1","status":"starting"}]},
    {"service":"db","instances":1,"healthy":1,"nodes":[{"node":"cloud-1","status":"running"}]}]})");
}

inline nlohmann::json fixture_events() {
  return nlohmann::json::parse(R"([
    {"id":1,"time_ms":1795946400000,"node":"home-1","kind":"agent.started","subject":"",
     "detail":{"pid":812,"version":"0.1.0"},"actor":"agent"},
    {"id":2,"time_ms":1795946401000,"node":"home-1","kind":"member.join","subject":"cloud-1",
     "detail":{"address":"10.0.0.2:7946","by":"cloud-1"},"actor":"gossip"},
    {"id":3,"time_ms":1795953000000,"node":"home-1","kind":"member.dead","subject":"edge-1",
     "detail":{"by":"home-1"},"actor":"gossip"},
    {"id":4,"time_ms":1795953555000,"node":"home-1","kind":"note","subject":"api",
     "detail":{"message":"rolling out api v2"},"actor":"api:unix"}])");
}

/// The fixture cluster, connected to home-1.
inline ClusterModel fixture_model() {
  ClusterModel model;
  model.load_nodes(fixture_nodes(), kNowMs);
  model.load_services(fixture_services());
  model.load_events(fixture_events());
  model.link = Link{.connected = true};
  model.agent_node = "home-1";
  return model;
}

}  // namespace constellation::console::tui::testing
