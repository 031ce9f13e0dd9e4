// NodeAgent's discovery glue, apart from node_agent.cpp so the composition file stays short:
// the advertised gossip address chosen at start, the Tailscale discovery subsystem, and the
// join of discovered peers that are not members yet. Loop thread only, like NodeAgent.
#include "agent/cluster/cluster_service.hpp"
#include "agent/discovery/advertise.hpp"
#include "agent/discovery/discovery_service.hpp"
#include "agent/gossip/transport.hpp"
#include "agent/node_agent.hpp"
#include "shared/log.hpp"

namespace constellation::agent {
namespace {
constexpr auto kDiscoveryTimeout = std::chrono::seconds(5);
}  // namespace

discovery::FetchOptions NodeAgent::fetch_options() const {
  const auto& config = loaded_.config;
  return discovery::FetchOptions{.socket_path = config.tailscale_socket,
                                 .command = config.tailscale_command,
                                 .timeout = kDiscoveryTimeout};
}

Result<discovery::AdvertiseChoice> NodeAgent::choose_advertise_address() const {
  const auto& config = loaded_.config;
  discovery::AdvertiseInputs inputs{
      .configured = config.gossip_advertise, .bind_host = config.gossip.host, .tailscale_ipv4 = {}};
  bool derived = config.gossip_advertise.empty() &&
                 (config.gossip.host == "0.0.0.0" || config.gossip.host == "::");
  if (derived && config.discovery == "tailscale") {
    // Subsystems start before the loop runs, so this one bounded lookup delays nothing that
    // is already serving; later runs go through DiscoveryService on the worker pool.
    auto text = discovery::fetch_status_document(fetch_options());
    auto found = text ? discovery::discover_from_document(*text, {})
                      : Result<discovery::Discovered>(std::unexpected(text.error()));
    if (found) {
      inputs.tailscale_ipv4 = found->self_ipv4;
    } else {
      log::get("discovery")->warn("no Tailscale address to advertise: {}", found.error().message);
    }
  }
  if (derived) inputs.interface_ipv4s = discovery::up_interface_ipv4s();
  auto choice = discovery::choose_advertise(inputs);
  if (!choice) return fail(ErrorCode::bad_config, choice.error().message);
  if (!choice->warning.empty()) log::get("gossip")->warn("{}", choice->warning);
  log::get("gossip")->info("advertising gossip address {} ({})", choice->host, choice->reason);
  return choice;
}

Status NodeAgent::start_discovery() {
  const auto& config = loaded_.config;
  if (config.discovery != "tailscale") return {};
  discovery::DiscoveryService::Options options{
      .fetch = fetch_options(),
      .filter = {.tag = config.discovery_tag, .name_pattern = config.discovery_name_pattern}};
  discovery_ = std::make_unique<discovery::DiscoveryService>(
      runtime_.loop(), runtime_.workers(), std::move(options),
      [this](const discovery::Discovered& found) { join_discovered(found); },
      [this](bool failed, const std::string& reason) {
        if (failed) {
          publish(Event{.kind = "discovery.failed",
                        .detail = {{"mode", "tailscale"}, {"error", reason}},
                        .actor = "discovery"});
        } else {
          publish(Event{.kind = "discovery.recovered",
                        .detail = {{"mode", "tailscale"}},
                        .actor = "discovery"});
        }
      });
  runtime_.cron().every("discovery", config.discovery_interval, [this] { discovery_->run(); });
  asio::post(runtime_.loop(), [this] { discovery_->run(); });
  return {};
}

void NodeAgent::join_discovered(const discovery::Discovered& found) {
  if (!gossip_ || !gossip_->core()) return;
  if (cluster_ && !found.self_ipv4.empty() && cluster_->meta().tailscale_ip != found.self_ipv4) {
    auto meta = cluster_->meta();
    meta.tailscale_ip = found.self_ipv4;
    if (auto set = cluster_->set_meta(std::move(meta)); !set)
      log::get("discovery")->warn("Tailscale IP not gossiped: {}", set.error().message);
  }
  // Members that are alive or suspect need no join; dead ones may be back, so they are asked.
  std::vector<std::string> known{gossip_->address()};
  for (const auto& [name, member] : gossip_->core()->members().all())
    if (member.state == gossip::MemberState::alive || member.state == gossip::MemberState::suspect)
      known.push_back(member.address.to_string());
  auto port = loaded_.config.discovery_port
                  ? static_cast<std::uint16_t>(loaded_.config.discovery_port)
                  : gossip_->port();
  auto addresses = discovery::join_candidates(found.peers, port, known);
  if (addresses.empty()) return;
  log::get("discovery")->info("joining {} discovered peer(s)", addresses.size());
  if (auto joined = gossip_->join(addresses); !joined)
    log::get("discovery")->warn("join of discovered peers: {}", joined.error().message);
}

}  // namespace constellation::agent
