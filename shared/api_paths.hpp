// The REST/WebSocket paths shared by the agent's route table and the console's client, so
// the two can never disagree on a spelling.
#pragma once

#include <string_view>

namespace constellation::api_paths {
inline constexpr std::string_view health = "/health";
inline constexpr std::string_view metrics = "/metrics";
inline constexpr std::string_view status = "/api/v1/status";
inline constexpr std::string_view events = "/api/v1/events";
inline constexpr std::string_view help = "/api/v1/help";
inline constexpr std::string_view reload = "/api/v1/reload";
inline constexpr std::string_view ws = "/ws";
inline constexpr std::string_view members = "/api/v1/members";
inline constexpr std::string_view nodes = "/api/v1/nodes";
inline constexpr std::string_view join = "/api/v1/join";
inline constexpr std::string_view leave = "/api/v1/leave";
inline constexpr std::string_view services = "/api/v1/services";
inline constexpr std::string_view containers = "/api/v1/containers";
/// POST /api/v1/containers/{name}/restart (the console builds it from `containers`).
inline constexpr std::string_view container_restart = "/api/v1/containers/{name}/restart";
inline constexpr std::string_view raft_status = "/api/v1/raft/status";
inline constexpr std::string_view leases = "/api/v1/leases";
inline constexpr std::string_view raft_leader = "/api/v1/raft/leader";
inline constexpr std::string_view raft_transfer = "/api/v1/raft/transfer";
/// POST /api/v1/nodes/{node}/cordon and /uncordon (the console builds them from `nodes`).
inline constexpr std::string_view cordon_suffix = "/cordon";
inline constexpr std::string_view uncordon_suffix = "/uncordon";
}  // namespace constellation::api_paths
