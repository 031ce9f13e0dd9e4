// ClusterService: gossip hooks, record events and the API's node and service views.
#include "agent/cluster/cluster_service.hpp"

#include <algorithm>

#include "agent/cluster/node_rpc.hpp"
#include "shared/log.hpp"

namespace constellation::cluster {
namespace {
std::int64_t age_ms(std::chrono::steady_clock::time_point since) {
  if (since == std::chrono::steady_clock::time_point{}) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               since)
      .count();
}

NodeMeta meta_of(const gossip::Member& member) {
  if (!member.meta) return NodeMeta{.role = "", .priority = 0};
  auto meta = decode_node_meta(*member.meta);
  return meta ? *meta : NodeMeta{.role = "", .priority = 0};
}
}  // namespace

ClusterService::ClusterService(gossip::GossipService& gossip, std::string self, NodeMeta meta,
                               Publish publish)
    : gossip_(gossip),
      view_(std::move(self)),
      meta_(std::move(meta)),
      publish_(std::move(publish)) {
  gossip_.set_application(gossip::GossipService::Application{
      .on_message =
          [this](std::span<const std::uint8_t> bytes) {
            if (!bytes.empty() && bytes.front() == kRpcType) {
              if (rpc_sink_) rpc_sink_(bytes);
              return;
            }
            apply(view_.apply_message(bytes, [this](const std::string& n) { return is_live(n); }));
          },
      .on_state =
          [this](std::span<const std::uint8_t> bytes, bool) {
            apply(view_.merge_state(bytes, [this](const std::string& n) { return is_live(n); }));
          },
  });
  gossip_.set_user_state(view_.encode_state());
  if (auto bytes = encode_node_meta(meta_); bytes)
    (void)gossip_.set_meta(std::move(*bytes));
  else
    log::get("cluster")->error("node meta not gossiped: {}", bytes.error().message);
}

std::vector<MemberInfo> ClusterService::members() const {
  std::vector<MemberInfo> out;
  const auto* core = gossip_.core();
  if (!core) return out;
  for (const auto& [name, member] : core->members().all()) {
    const bool self = name == view_.self();
    out.push_back(MemberInfo{.name = name,
                             .address = member.address.to_string(),
                             .live = is_live(name),
                             .self = self,
                             .meta = self ? meta_ : meta_of(member)});
  }
  return out;
}

bool ClusterService::is_live(const std::string& node) const {
  const auto* core = gossip_.core();
  if (!core) return false;
  const auto* member = core->members().find(node);
  return member && (member->state == gossip::MemberState::alive ||
                    member->state == gossip::MemberState::suspect);
}

void ClusterService::on_member_event(const gossip::MemberEvent& event) {
  if (event.kind == gossip::MemberEventKind::dead || event.kind == gossip::MemberEventKind::left)
    apply(view_.forget(event.name));
}

void ClusterService::set_local_services(std::vector<ServiceRecord> records) {
  apply(view_.set_local(std::move(records)));
}

Status ClusterService::set_meta(NodeMeta meta) {
  if (meta == meta_) return {};
  auto bytes = encode_node_meta(meta);
  if (!bytes) return std::unexpected(bytes.error());
  if (auto set = gossip_.set_meta(std::move(*bytes)); !set) return set;
  meta_ = std::move(meta);
  return {};
}

void ClusterService::apply(ViewUpdate update) {
  if (update.dropped) {
    // Serf peers' own payloads land here too; they are expected, not an attack.
    ++dropped_[update.dropped->starts_with("service record state: not a constellation") ||
                       update.dropped->starts_with("service record delta: not a constellation")
                   ? "foreign_payload"
                   : "malformed_payload"];
    log::get("cluster")->debug("ignored peer payload: {}", *update.dropped);
  }
  for (auto& broadcast : update.broadcasts) {
    if (auto queued = gossip_.broadcast(std::move(broadcast.payload), std::move(broadcast.key));
        !queued)
      log::get("cluster")->warn("service record not broadcast ({}); push/pull will carry it",
                                queued.error().message);
  }
  if (!update.changes.empty()) gossip_.set_user_state(view_.encode_state());
  for (const auto& change : update.changes) {
    // This node's own changes are journaled by their source (Docker monitor, checks).
    const auto& record = change.record;
    if (record.node == view_.self()) continue;
    nlohmann::json detail{
        {"node", record.node}, {"service", record.service}, {"version", record.version}};
    std::string kind;
    if (record.removed) {
      kind = "service.removed";
    } else if (!change.previous) {
      kind = "service.added";
    } else if (*change.previous != record.status) {
      kind = "service.health_changed";
    } else {
      continue;  // endpoints or networks moved; the health did not
    }
    if (change.previous) detail["from"] = std::string(health_status_name(*change.previous));
    if (!record.removed) detail["to"] = std::string(health_status_name(record.status));
    publish_(Event{.kind = std::move(kind),
                   .subject = record.service,
                   .detail = std::move(detail),
                   .actor = "gossip"});
  }
}

nlohmann::json ClusterService::node_summary(const gossip::Member& member) const {
  const bool self = member.name == view_.self();
  NodeMeta meta = self ? meta_ : meta_of(member);
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& record : view_.records_of_node(member.name))
    counts[std::string(health_status_name(record.status))] =
        counts.value(std::string(health_status_name(record.status)), 0) + 1;
  nlohmann::json json = to_json(meta);
  json["name"] = member.name;
  json["address"] = member.address.to_string();
  json["state"] = std::string(gossip::member_state_name(member.state));
  json["incarnation"] = member.incarnation;
  json["self"] = self;
  json["services"] = std::move(counts);
  json["state_age_ms"] = age_ms(member.state_change);
  return json;
}

nlohmann::json ClusterService::nodes_json() const {
  nlohmann::json list = nlohmann::json::array();
  const auto* core = gossip_.core();
  if (!core) return list;
  std::vector<const gossip::Member*> members;
  for (const auto& [name, member] : core->members().all()) members.push_back(&member);
  std::vector<std::pair<int, nlohmann::json>> rows;
  for (const auto* member : members) {
    auto summary = node_summary(*member);
    rows.emplace_back(summary.value("priority", 0), std::move(summary));
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [priority, row] : rows) list.push_back(std::move(row));
  return list;
}

Result<nlohmann::json> ClusterService::node_json(const std::string& name) const {
  const auto* core = gossip_.core();
  if (!core) return fail(ErrorCode::unavailable, "gossip is not running");
  const auto* member = core->members().find(name);
  if (!member) {
    std::vector<std::string> names;
    for (const auto& [known, m] : core->members().all()) names.push_back(known);
    return fail(ErrorCode::not_found,
                "no node named '" + name + "'; known: " + nlohmann::json(names).dump());
  }
  auto json = node_summary(*member);
  nlohmann::json services = nlohmann::json::array();
  for (const auto& record : view_.records_of_node(name)) services.push_back(to_json(record));
  json["service_records"] = std::move(services);
  if (auto it = core->suspicions().find(name); it != core->suspicions().end()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        it->second.deadline() - std::chrono::steady_clock::now());
    json["suspicion"] = {{"confirmations", it->second.confirmations()},
                         {"accusers", it->second.accusers()},
                         {"deadline_in_ms", std::max<std::int64_t>(0, left.count())}};
  }
  return json;
}

nlohmann::json ClusterService::services_json() const {
  std::map<std::string, nlohmann::json> by_service;
  for (const auto& record : view_.records()) {
    auto& entry = by_service[record.service];
    if (entry.is_null())
      entry = {{"service", record.service},
               {"instances", 0},
               {"healthy", 0},
               {"nodes", nlohmann::json::array()}};
    entry["instances"] = entry["instances"].get<int>() + 1;
    if (record.status == HealthStatus::healthy || record.status == HealthStatus::running)
      entry["healthy"] = entry["healthy"].get<int>() + 1;
    entry["nodes"].push_back(
        {{"node", record.node}, {"status", std::string(health_status_name(record.status))}});
  }
  nlohmann::json list = nlohmann::json::array();
  for (auto& [name, entry] : by_service) list.push_back(std::move(entry));
  return list;
}

Result<nlohmann::json> ClusterService::service_json(const std::string& service) const {
  auto instances = view_.instances_of(service);
  if (instances.empty()) {
    std::vector<std::string> names;
    for (const auto& record : view_.records())
      if (names.empty() || names.back() != record.service) names.push_back(record.service);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return fail(ErrorCode::not_found, "no service named '" + service +
                                          "' on any node; known: " + nlohmann::json(names).dump());
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& record : instances) list.push_back(to_json(record));
  return nlohmann::json{{"service", service}, {"instances", std::move(list)}};
}

}  // namespace constellation::cluster
