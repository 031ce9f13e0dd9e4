// Shared pieces of docker_tests: the one private engine of this run, clients for it,
// run-unique names and subnets, and an event collector that runs a real /events stream on
// its own thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/docker/client.hpp"
#include "tests/harness/dockerd.hpp"

namespace constellation::testing {

/// The engine started by the environment (null if it failed to start).
PrivateDockerd* engine();
/// A fresh client for the engine.
docker::DockerClient engine_client();
/// "ct<pid>-<base>": unique per run so parallel runs on one machine never collide.
std::string unique_name(const std::string& base);
/// A /24 for this run in 10.213.0.0/16, by index ("10.213.N.0/24"), and its gateway.
std::string test_subnet(int index);
std::string test_gateway(int index);

/// Runs DockerClient::events on a thread and records what arrives.
class EventCollector {
 public:
  EventCollector(docker::DockerClient client, docker::EventsQuery query);
  ~EventCollector();

  /// Waits (at most `limit`, a hang guard) until an event satisfies pred; returns it.
  std::optional<docker::Event> wait_for(const std::function<bool(const docker::Event&)>& pred,
                                        std::chrono::seconds limit = std::chrono::seconds(30));
  /// Waits until the stream has ended; returns its final status, or nullopt on the guard.
  std::optional<Status> wait_end(std::chrono::seconds limit = std::chrono::seconds(30));
  std::vector<docker::Event> events();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<docker::Event> events_;
  std::optional<Status> result_;
  std::jthread thread_;
};

}  // namespace constellation::testing
