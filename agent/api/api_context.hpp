// What the API needs from the rest of the agent, as plain callables, so the API never
// includes the agent's subsystems and tests can hand it a fake. Every callable is invoked on
// the loop thread only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/asio.hpp"
#include "shared/error.hpp"
#include "shared/event.hpp"

namespace constellation::api {

/// The agent's side of the API. Every member must be set before the server starts.
struct ApiContext {
  /// The /api/v1/status document (also the "status" of WebSocket snapshots).
  std::function<nlohmann::json()> status;
  /// Problems that make /health answer 503; empty when healthy.
  std::function<std::vector<std::string>()> health_problems;
  /// Runs a journal query; resumes on the loop thread.
  std::function<asio::awaitable<Result<std::vector<Event>>>(EventQuery)> query_events;
  /// Journals an event; `done` runs once, on the loop thread, with the stored event.
  std::function<void(Event, std::function<void(Result<Event>)>)> publish;
  /// Same as SIGHUP: {"changed":[...],"restart_required":[...]} or why nothing was applied.
  std::function<Result<nlohmann::json>()> reload;
  /// The gossip member list ({"members":[...],"awareness":N,"suspicions":[...]}); unset or
  /// unavailable when gossip is not running (the routes then answer 503).
  std::function<Result<nlohmann::json>()> members;
  /// Starts a gossip join with these addresses; the resolved addresses, or why not.
  std::function<Result<std::vector<std::string>>(std::vector<std::string>)> join;
  /// The cluster's nodes with meta and service counts; one node in detail (not_found).
  std::function<Result<nlohmann::json>()> nodes;
  std::function<Result<nlohmann::json>(const std::string&)> node;
  /// Services across the cluster; one service's instances on every node (not_found).
  std::function<Result<nlohmann::json>()> services;
  std::function<Result<nlohmann::json>(const std::string&)> service;
  /// Leaves the gossip cluster gracefully and stops the agent.
  std::function<Status()> leave;
  /// Marks a failed member as left everywhere.
  std::function<Status(const std::string&)> force_leave;
  /// This node's containers ({"node","available","error","containers":[...]}); unset when the
  /// Docker monitor is off (the routes then answer 503).
  std::function<Result<nlohmann::json>()> containers;
  /// Restarts a container of this node by name, id or service; `actor` is journaled. Resumes
  /// on the loop thread with {"container","id","service"} or why not.
  std::function<asio::awaitable<Result<nlohmann::json>>(std::string name, std::string actor)>
      restart_container;
  /// This node's raft view and the replicated leases/cordons; unset when raft is off (503).
  std::function<Result<nlohmann::json>()> raft_status;
  std::function<Result<nlohmann::json>()> leases;
  /// Calls `method` on another node's agent over node RPC (routes given ?node=N); resumes on
  /// the loop thread. not_found naming the known nodes, unavailable for a dead node or a
  /// peer without the subsystem, timeout when it does not answer. Unset: 503.
  std::function<asio::awaitable<Result<nlohmann::json>>(std::string node, std::string method,
                                                        nlohmann::json params)>
      node_call;
};

}  // namespace constellation::api
