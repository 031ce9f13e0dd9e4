// JSON form of the state machine's commands: one object per command, "op" naming it and
// "id" making replays detectable. Unknown fields are ignored so later versions can add some.
#include "agent/consensus/commands.hpp"

#include <utility>

#include "agent/consensus/overload.hpp"

namespace constellation::consensus {
namespace {

using nlohmann::json;

/// Reads a required field of type T; the error names the op and the field.
template <typename T>
Result<T> field(const json& j, std::string_view op, const char* name) {
  auto it = j.find(name);
  if (it == j.end())
    return fail(ErrorCode::invalid_argument,
                std::string(op) + " command lacks the field \"" + name + "\"");
  if constexpr (std::is_same_v<T, std::string>) {
    if (!it->is_string())
      return fail(ErrorCode::invalid_argument,
                  std::string(op) + " command: \"" + name + "\" must be a string");
  } else if constexpr (std::is_same_v<T, std::uint64_t>) {
    if (!it->is_number_unsigned())
      return fail(ErrorCode::invalid_argument,
                  std::string(op) + " command: \"" + name + "\" must be an unsigned integer");
  } else {
    if (!it->is_number_integer())
      return fail(ErrorCode::invalid_argument,
                  std::string(op) + " command: \"" + name + "\" must be an integer");
  }
  return it->get<T>();
}

#define CONSENSUS_FIELD(var, type, name)                 \
  auto var##_r = field<type>(j, op, name);               \
  if (!var##_r) return std::unexpected(var##_r.error()); \
  type var = std::move(*var##_r)

Result<Command> decode_object(const json& j) {
  auto op_it = j.find("op");
  if (op_it == j.end() || !op_it->is_string())
    return fail(ErrorCode::invalid_argument, "command lacks a string field \"op\"");
  const std::string op = op_it->get<std::string>();
  CONSENSUS_FIELD(id, std::string, "id");
  if (id.empty()) return fail(ErrorCode::invalid_argument, op + " command has an empty id");
  if (op == "lease_grant") {
    CONSENSUS_FIELD(lease, std::string, "lease");
    CONSENSUS_FIELD(holder, std::string, "holder");
    CONSENSUS_FIELD(ttl, std::int64_t, "ttl_ms");
    CONSENSUS_FIELD(now, std::int64_t, "now_ms");
    CONSENSUS_FIELD(clock, std::string, "clock");
    LeaseGrant g{
        .id = id, .lease = lease, .holder = holder, .ttl_ms = ttl, .now_ms = now, .clock = clock};
    if (j.contains("expect_revision")) {
      CONSENSUS_FIELD(rev, std::uint64_t, "expect_revision");
      g.expect_revision = rev;
    }
    return g;
  }
  if (op == "lease_renew" || op == "lease_release") {
    CONSENSUS_FIELD(lease, std::string, "lease");
    CONSENSUS_FIELD(holder, std::string, "holder");
    CONSENSUS_FIELD(token, std::uint64_t, "token");
    CONSENSUS_FIELD(now, std::int64_t, "now_ms");
    CONSENSUS_FIELD(clock, std::string, "clock");
    if (op == "lease_renew")
      return LeaseRenew{.id = id,
                        .lease = lease,
                        .holder = holder,
                        .token = token,
                        .now_ms = now,
                        .clock = clock};
    return LeaseRelease{
        .id = id, .lease = lease, .holder = holder, .token = token, .now_ms = now, .clock = clock};
  }
  if (op == "lease_expire") {
    CONSENSUS_FIELD(lease, std::string, "lease");
    CONSENSUS_FIELD(rev, std::uint64_t, "expect_revision");
    CONSENSUS_FIELD(now, std::int64_t, "now_ms");
    CONSENSUS_FIELD(clock, std::string, "clock");
    return LeaseExpire{
        .id = id, .lease = lease, .expect_revision = rev, .now_ms = now, .clock = clock};
  }
  if (op == "cordon") {
    CONSENSUS_FIELD(node, std::string, "node");
    CONSENSUS_FIELD(reason, std::string, "reason");
    CONSENSUS_FIELD(actor, std::string, "actor");
    CONSENSUS_FIELD(at, std::int64_t, "at_unix_ms");
    return CordonNode{.id = id, .node = node, .reason = reason, .actor = actor, .at_unix_ms = at};
  }
  if (op == "uncordon") {
    CONSENSUS_FIELD(node, std::string, "node");
    CONSENSUS_FIELD(actor, std::string, "actor");
    CONSENSUS_FIELD(at, std::int64_t, "at_unix_ms");
    return UncordonNode{.id = id, .node = node, .actor = actor, .at_unix_ms = at};
  }
  if (op == "config_set") {
    auto it = j.find("values");
    if (it == j.end() || !it->is_object())
      return fail(ErrorCode::invalid_argument, "config_set command needs an object \"values\"");
    return SetConfig{.id = id, .values = *it};
  }
  return fail(ErrorCode::invalid_argument, "unknown command op \"" + op +
                                               "\" (expected lease_grant, lease_renew, "
                                               "lease_release, lease_expire, cordon, "
                                               "uncordon or config_set)");
}

#undef CONSENSUS_FIELD

}  // namespace

std::string_view op_name(const Command& command) {
  return std::visit(Overload{[](const LeaseGrant&) { return "lease_grant"; },
                             [](const LeaseRenew&) { return "lease_renew"; },
                             [](const LeaseRelease&) { return "lease_release"; },
                             [](const LeaseExpire&) { return "lease_expire"; },
                             [](const CordonNode&) { return "cordon"; },
                             [](const UncordonNode&) { return "uncordon"; },
                             [](const SetConfig&) { return "config_set"; }},
                    command);
}

const std::string& command_id(const Command& command) {
  return std::visit([](const auto& c) -> const std::string& { return c.id; }, command);
}

std::string encode(const Command& command) {
  json j = std::visit(
      Overload{[](const LeaseGrant& c) {
                 json o{{"lease", c.lease},
                        {"holder", c.holder},
                        {"ttl_ms", c.ttl_ms},
                        {"now_ms", c.now_ms},
                        {"clock", c.clock}};
                 if (c.expect_revision) o["expect_revision"] = *c.expect_revision;
                 return o;
               },
               [](const LeaseRenew& c) {
                 return json{{"lease", c.lease},
                             {"holder", c.holder},
                             {"token", c.token},
                             {"now_ms", c.now_ms},
                             {"clock", c.clock}};
               },
               [](const LeaseRelease& c) {
                 return json{{"lease", c.lease},
                             {"holder", c.holder},
                             {"token", c.token},
                             {"now_ms", c.now_ms},
                             {"clock", c.clock}};
               },
               [](const LeaseExpire& c) {
                 return json{{"lease", c.lease},
                             {"expect_revision", c.expect_revision},
                             {"now_ms", c.now_ms},
                             {"clock", c.clock}};
               },
               [](const CordonNode& c) {
                 return json{{"node", c.node},
                             {"reason", c.reason},
                             {"actor", c.actor},
                             {"at_unix_ms", c.at_unix_ms}};
               },
               [](const UncordonNode& c) {
                 return json{{"node", c.node}, {"actor", c.actor}, {"at_unix_ms", c.at_unix_ms}};
               },
               [](const SetConfig& c) {
                 return json{{"values", c.values}};
               }},
      command);
  j["op"] = op_name(command);
  j["id"] = command_id(command);
  return j.dump();
}

Result<Command> decode(std::string_view bytes) {
  while (!bytes.empty() && bytes.back() == '\0') bytes.remove_suffix(1);
  json j = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return fail(ErrorCode::invalid_argument, "command is not a JSON object");
  return decode_object(j);
}

}  // namespace constellation::consensus
