// Lease, cordon and config rules of the replicated state machine, and its snapshot format.
// The take-over rule is what keeps two holders apart: a held lease changes hands only when
// the command names the revision the leader saw expire; a renewal committed in between
// changes the revision and the take-over is refused.
#include "agent/consensus/state_machine.hpp"

#include <utility>

#include "agent/consensus/overload.hpp"

namespace constellation::consensus {
namespace {

using nlohmann::json;

std::string describe_holder(const LeaseRecord& r) {
  return "lease " + r.name + " is held by " + r.holder + " (token " + std::to_string(r.token) +
         ") until " + std::to_string(r.renewed_at_ms + r.ttl_ms) + " ms on clock " + r.clock +
         " unless renewed";
}

Applied ok(std::string op, std::string summary, std::uint64_t token = 0, std::uint64_t revision = 0,
           std::string previous = "") {
  return Applied{.op = std::move(op),
                 .summary = std::move(summary),
                 .token = token,
                 .revision = revision,
                 .duplicate = false,
                 .previous = std::move(previous)};
}

json event_json(const LeaseEvent& e) {
  return json{{"kind", e.kind},
              {"holder", e.holder},
              {"token", e.token},
              {"at_ms", e.at_ms},
              {"clock", e.clock}};
}

}  // namespace

std::string encode_result(const ApplyResult& result) {
  if (!result)
    return json{{"ok", false},
                {"code", error_code_name(result.error().code)},
                {"message", result.error().message}}
        .dump();
  const Applied& a = *result;
  json out{{"ok", true},
           {"op", a.op},
           {"summary", a.summary},
           {"token", a.token},
           {"revision", a.revision},
           {"duplicate", a.duplicate}};
  if (!a.previous.empty()) out["previous"] = a.previous;
  return out.dump();
}

ApplyResult decode_result(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail(ErrorCode::internal, "consensus result is not a JSON object");
  if (!j.value("ok", false))
    return fail(error_code_from_name(j.value("code", "internal")), j.value("message", ""));
  return Applied{.op = j.value("op", ""),
                 .summary = j.value("summary", ""),
                 .token = j.value("token", std::uint64_t{0}),
                 .revision = j.value("revision", std::uint64_t{0}),
                 .duplicate = j.value("duplicate", false),
                 .previous = j.value("previous", "")};
}

const LeaseRecord* StateMachine::lease(const std::string& name) const {
  auto it = leases_.find(name);
  return it == leases_.end() ? nullptr : &it->second;
}

std::optional<ApplyResult> StateMachine::result_of(const std::string& id) const {
  auto it = recent_.find(id);
  if (it == recent_.end()) return std::nullopt;
  return decode_result(it->second);
}

std::string StateMachine::apply(std::string_view bytes) {
  auto command = decode(bytes);
  if (!command) {
    ++applied_;
    return encode_result(std::unexpected(command.error()));
  }
  return encode_result(apply_command(*command));
}

ApplyResult StateMachine::apply_command(const Command& command) {
  ++applied_;
  const std::string& id = command_id(command);
  if (auto it = recent_.find(id); it != recent_.end()) {
    ApplyResult first = decode_result(it->second);
    if (first) first->duplicate = true;
    return first;
  }
  ApplyResult result = std::visit(Overload{[this](const LeaseGrant& c) { return grant(c); },
                                           [this](const LeaseRenew& c) { return renew(c); },
                                           [this](const LeaseRelease& c) { return release(c); },
                                           [this](const LeaseExpire& c) { return expire(c); },
                                           [this](const CordonNode& c) { return cordon(c); },
                                           [this](const UncordonNode& c) { return uncordon(c); },
                                           [this](const SetConfig& c) { return set_config(c); }},
                                  command);
  remember(id, result);
  return result;
}

void StateMachine::remember(const std::string& id, const ApplyResult& result) {
  recent_[id] = encode_result(result);
  recent_order_.push_back(id);
  while (recent_order_.size() > kRememberedCommands) {
    recent_.erase(recent_order_.front());
    recent_order_.pop_front();
  }
}

void StateMachine::record(LeaseRecord& lease, LeaseEvent event) {
  lease.history.push_back(std::move(event));
  if (lease.history.size() > kLeaseHistory)
    lease.history.erase(
        lease.history.begin(),
        lease.history.begin() + static_cast<std::ptrdiff_t>(lease.history.size() - kLeaseHistory));
}

ApplyResult StateMachine::grant(const LeaseGrant& c) {
  if (c.lease.empty() || c.holder.empty())
    return fail(ErrorCode::invalid_argument, "lease_grant needs a lease name and a holder");
  if (c.ttl_ms <= 0)
    return fail(ErrorCode::invalid_argument, "lease_grant for " + c.lease +
                                                 ": ttl_ms must be positive, got " +
                                                 std::to_string(c.ttl_ms));
  if (auto it = cordons_.find(c.holder); it != cordons_.end())
    return fail(ErrorCode::conflict, "cannot grant lease " + c.lease + " to " + c.holder +
                                         ": the node is cordoned by " + it->second.actor +
                                         " because " + it->second.reason);
  LeaseRecord& r = leases_[c.lease];
  r.name = c.lease;
  const bool takeover = !r.holder.empty();
  if (takeover) {
    if (r.holder == c.holder)
      return fail(ErrorCode::conflict, describe_holder(r) + "; it renews, it is not re-granted");
    if (!c.expect_revision) return fail(ErrorCode::conflict, describe_holder(r));
    if (*c.expect_revision != r.revision)
      return fail(ErrorCode::conflict,
                  describe_holder(r) + "; it changed since the leader's observation (revision " +
                      std::to_string(*c.expect_revision) + ", now " + std::to_string(r.revision) +
                      ")");
    if (c.clock == r.clock && c.now_ms - r.renewed_at_ms < r.ttl_ms)
      return fail(ErrorCode::conflict, describe_holder(r) + "; it has not expired yet");
  }
  const std::string previous = r.holder;
  r.holder = c.holder;
  ++r.token;
  ++r.revision;
  r.ttl_ms = c.ttl_ms;
  r.granted_at_ms = c.now_ms;
  r.renewed_at_ms = c.now_ms;
  r.clock = c.clock;
  r.renewals = 0;
  if (takeover)
    record(r, LeaseEvent{.kind = "expired",
                         .holder = previous,
                         .token = r.token - 1,
                         .at_ms = c.now_ms,
                         .clock = c.clock});
  record(r, LeaseEvent{.kind = "granted",
                       .holder = c.holder,
                       .token = r.token,
                       .at_ms = c.now_ms,
                       .clock = c.clock});
  return ok("lease_grant",
            "lease " + c.lease + " granted to " + c.holder + " with token " +
                std::to_string(r.token) + (takeover ? " (taken over from " + previous + ")" : ""),
            r.token, r.revision, previous);
}

ApplyResult StateMachine::renew(const LeaseRenew& c) {
  auto it = leases_.find(c.lease);
  if (it == leases_.end())
    return fail(ErrorCode::not_found, "no lease named " + c.lease + " has ever been granted");
  LeaseRecord& r = it->second;
  if (r.holder != c.holder || r.token != c.token)
    return fail(ErrorCode::conflict,
                "renewal of lease " + c.lease + " by " + c.holder + " with token " +
                    std::to_string(c.token) + " refused: " +
                    (r.holder.empty() ? "the lease is free (token " + std::to_string(r.token) + ")"
                                      : describe_holder(r)) +
                    "; stop acting under this lease");
  if (auto cit = cordons_.find(c.holder); cit != cordons_.end())
    return fail(ErrorCode::conflict, "renewal of lease " + c.lease + " refused: " + c.holder +
                                         " is cordoned by " + cit->second.actor + " because " +
                                         cit->second.reason + "; hand the lease over");
  ++r.revision;
  ++r.renewals;
  r.renewed_at_ms = c.now_ms;
  r.clock = c.clock;
  return ok("lease_renew", "lease " + c.lease + " renewed by " + c.holder, r.token, r.revision);
}

ApplyResult StateMachine::release(const LeaseRelease& c) {
  auto it = leases_.find(c.lease);
  if (it == leases_.end())
    return fail(ErrorCode::not_found, "no lease named " + c.lease + " has ever been granted");
  LeaseRecord& r = it->second;
  if (r.holder != c.holder || r.token != c.token)
    return fail(ErrorCode::conflict, "release of lease " + c.lease + " by " + c.holder +
                                         " with token " + std::to_string(c.token) +
                                         " refused: it does not hold it (holder " +
                                         (r.holder.empty() ? "none" : r.holder) + ", token " +
                                         std::to_string(r.token) + ")");
  r.holder.clear();
  ++r.revision;
  r.renewed_at_ms = c.now_ms;
  r.clock = c.clock;
  record(r, LeaseEvent{.kind = "released",
                       .holder = c.holder,
                       .token = r.token,
                       .at_ms = c.now_ms,
                       .clock = c.clock});
  return ok("lease_release", "lease " + c.lease + " released by " + c.holder, r.token, r.revision,
            c.holder);
}

ApplyResult StateMachine::expire(const LeaseExpire& c) {
  auto it = leases_.find(c.lease);
  if (it == leases_.end() || it->second.holder.empty())
    return fail(ErrorCode::conflict, "lease " + c.lease + " has no holder to expire");
  LeaseRecord& r = it->second;
  if (c.expect_revision != r.revision)
    return fail(ErrorCode::conflict, describe_holder(r) +
                                         "; it changed since the leader's observation "
                                         "(revision " +
                                         std::to_string(c.expect_revision) + ", now " +
                                         std::to_string(r.revision) + ")");
  if (c.clock == r.clock && c.now_ms - r.renewed_at_ms < r.ttl_ms)
    return fail(ErrorCode::conflict, describe_holder(r) + "; it has not expired yet");
  const std::string previous = r.holder;
  r.holder.clear();
  ++r.revision;
  r.renewed_at_ms = c.now_ms;
  r.clock = c.clock;
  record(r, LeaseEvent{.kind = "expired",
                       .holder = previous,
                       .token = r.token,
                       .at_ms = c.now_ms,
                       .clock = c.clock});
  return ok("lease_expire", "lease " + c.lease + " held by " + previous + " expired", r.token,
            r.revision, previous);
}

ApplyResult StateMachine::cordon(const CordonNode& c) {
  if (c.node.empty()) return fail(ErrorCode::invalid_argument, "cordon needs a node name");
  if (c.reason.empty())
    return fail(ErrorCode::invalid_argument,
                "cordon of " + c.node + " needs a reason (say why, e.g. --reason 'disk swap')");
  if (auto it = cordons_.find(c.node); it != cordons_.end())
    return fail(ErrorCode::conflict, "node " + c.node + " already cordoned by " + it->second.actor +
                                         " because " + it->second.reason);
  cordons_[c.node] =
      Cordon{.node = c.node, .reason = c.reason, .actor = c.actor, .at_unix_ms = c.at_unix_ms};
  return ok("cordon", "node " + c.node + " cordoned by " + c.actor + " because " + c.reason);
}

ApplyResult StateMachine::uncordon(const UncordonNode& c) {
  if (cordons_.erase(c.node) == 0)
    return fail(ErrorCode::conflict, "node " + c.node + " is not cordoned");
  return ok("uncordon", "node " + c.node + " uncordoned by " + c.actor);
}

ApplyResult StateMachine::set_config(const SetConfig& c) {
  config_.values = c.values;
  ++config_.version;
  return ok("config_set", "configuration version " + std::to_string(config_.version), 0,
            config_.version);
}

std::string StateMachine::snapshot() const {
  json leases = json::array();
  for (const auto& [name, r] : leases_) {
    json history = json::array();
    for (const auto& e : r.history) history.push_back(event_json(e));
    leases.push_back(json{{"name", r.name},
                          {"holder", r.holder},
                          {"token", r.token},
                          {"revision", r.revision},
                          {"ttl_ms", r.ttl_ms},
                          {"granted_at_ms", r.granted_at_ms},
                          {"renewed_at_ms", r.renewed_at_ms},
                          {"clock", r.clock},
                          {"renewals", r.renewals},
                          {"history", history}});
  }
  json cordons = json::array();
  for (const auto& [node, c] : cordons_)
    cordons.push_back(json{
        {"node", c.node}, {"reason", c.reason}, {"actor", c.actor}, {"at_unix_ms", c.at_unix_ms}});
  json recent = json::array();
  for (const auto& id : recent_order_)
    recent.push_back(json{{"id", id}, {"result", recent_.at(id)}});
  return json{{"format", 1},
              {"leases", leases},
              {"cordons", cordons},
              {"config", json{{"version", config_.version}, {"values", config_.values}}},
              {"recent", recent},
              {"applied", applied_}}
      .dump();
}

Status StateMachine::restore(std::string_view snapshot) {
  while (!snapshot.empty() && snapshot.back() == '\0') snapshot.remove_suffix(1);
  json j = json::parse(snapshot, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", 0) != 1)
    return fail(ErrorCode::internal,
                "consensus snapshot is not a format-1 JSON object; the snapshot file is damaged "
                "or from a newer version");
  try {
    StateMachine next;
    for (const auto& l : j.at("leases")) {
      LeaseRecord r{.name = l.at("name"),
                    .holder = l.at("holder"),
                    .token = l.at("token"),
                    .revision = l.at("revision"),
                    .ttl_ms = l.at("ttl_ms"),
                    .granted_at_ms = l.at("granted_at_ms"),
                    .renewed_at_ms = l.at("renewed_at_ms"),
                    .clock = l.at("clock"),
                    .renewals = l.at("renewals")};
      for (const auto& e : l.at("history"))
        r.history.push_back(LeaseEvent{.kind = e.at("kind"),
                                       .holder = e.at("holder"),
                                       .token = e.at("token"),
                                       .at_ms = e.at("at_ms"),
                                       .clock = e.at("clock")});
      next.leases_[r.name] = std::move(r);
    }
    for (const auto& c : j.at("cordons"))
      next.cordons_[c.at("node")] = Cordon{.node = c.at("node"),
                                           .reason = c.at("reason"),
                                           .actor = c.at("actor"),
                                           .at_unix_ms = c.at("at_unix_ms")};
    next.config_.version = j.at("config").at("version");
    next.config_.values = j.at("config").at("values");
    for (const auto& e : j.at("recent")) {
      std::string id = e.at("id");
      next.recent_[id] = e.at("result");
      next.recent_order_.push_back(std::move(id));
    }
    next.applied_ = j.at("applied");
    *this = std::move(next);
  } catch (const json::exception& e) {
    return fail(ErrorCode::internal,
                std::string("consensus snapshot is missing fields: ") + e.what());
  }
  return {};
}

}  // namespace constellation::consensus
