// agent_api.hpp: JSON over the agent's unix socket.
#include "tests/harness/agent_api.hpp"

#include <sstream>

#include "tests/harness/http.hpp"

namespace constellation::testing {

nlohmann::json get_json(const Agent& agent, const std::string& path) {
  auto response = http_request(UnixTarget{agent.socket()}, "GET", path);
  if (!response || response->status != 200) return nullptr;
  auto body = nlohmann::json::parse(response->body, nullptr, false);
  return body.is_discarded() ? nlohmann::json(nullptr) : body;
}

nlohmann::json members_of(const Agent& agent) {
  auto body = get_json(agent, "/api/v1/members");
  return body.is_object() ? body.value("members", nlohmann::json::array())
                          : nlohmann::json::array();
}

std::string member_state(const Agent& agent, const std::string& name) {
  for (const auto& member : members_of(agent))
    if (member.value("name", "") == name) return member.value("state", "");
  return "";
}

std::size_t alive_count(const Agent& agent) {
  std::size_t alive = 0;
  for (const auto& member : members_of(agent)) alive += member.value("state", "") == "alive";
  return alive;
}

bool journaled(const Agent& agent, const std::string& kind, const std::string& subject) {
  auto body = get_json(agent, "/api/v1/events?kind=" + kind + "&subject=" + subject);
  return body.is_object() && body.contains("events") && !body["events"].empty();
}

std::optional<std::uint64_t> incarnation_of(const Agent& agent, const std::string& name) {
  for (const auto& member : members_of(agent))
    if (member.value("name", "") == name && member.contains("incarnation"))
      return member["incarnation"].get<std::uint64_t>();
  return std::nullopt;
}

std::optional<std::uint64_t> gossip_drops(const Agent& agent) {
  auto response = http_request(UnixTarget{agent.socket()}, "GET", "/metrics");
  if (!response || response->status != 200) return std::nullopt;
  std::istringstream lines(response->body);
  std::uint64_t total = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("constellation_gossip_dropped_total{")) continue;
    auto space = line.rfind(' ');
    if (space != std::string::npos) total += std::stoull(line.substr(space + 1));
  }
  return total;
}

bool api_answers(const Agent& agent) {
  auto response = http_request(UnixTarget{agent.socket()}, "GET", "/health");
  return response && response->status == 200;
}

}  // namespace constellation::testing
