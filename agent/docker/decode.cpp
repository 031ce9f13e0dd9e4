// Decoding of engine JSON responses; see decode.hpp. nlohmann::json reports type surprises
// with exceptions, so each decoder catches them here and returns an error value instead.
#include "agent/docker/decode.hpp"

#include <nlohmann/json.hpp>

#include "agent/docker/labels.hpp"
#include "shared/strings.hpp"

namespace constellation::docker {

namespace {
using nlohmann::json;

constexpr std::string_view kHealthPrefix = "health_status: ";

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int integer(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int>() : 0;
}

const json& member(const json& j, const char* key) {
  static const json null_value;
  auto it = j.find(key);
  return it != j.end() ? *it : null_value;
}

std::string strip_slash(std::string name) {
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  return name;
}

Labels labels_of(const json& j) {
  auto labels = parse_labels(member(j, "Labels"));
  return labels ? *labels : Labels{};
}

/// Parses and runs a decoder, turning parse failures and JSON type errors into values.
template <typename T, typename F>
Result<T> decode(std::string_view body, std::string_view what, F&& fn) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    return fail(ErrorCode::invalid_argument, "Docker sent malformed JSON for " + std::string(what));
  }
  try {
    return fn(j);
  } catch (const json::exception& e) {
    return fail(ErrorCode::invalid_argument,
                "unexpected Docker JSON for " + std::string(what) + ": " + e.what());
  }
}

NetworkInfo network_of(const json& j) {
  NetworkInfo n;
  n.id = str(j, "Id");
  n.name = str(j, "Name");
  n.driver = str(j, "Driver");
  n.scope = str(j, "Scope");
  n.internal = member(j, "Internal").is_boolean() && member(j, "Internal").get<bool>();
  n.labels = labels_of(j);
  const auto& config = member(member(j, "IPAM"), "Config");
  if (config.is_array()) {
    for (const auto& pool : config) n.pools.push_back({str(pool, "Subnet"), str(pool, "Gateway")});
  }
  const auto& containers = member(j, "Containers");
  if (containers.is_object()) {
    for (const auto& [id, c] : containers.items()) n.containers[id] = str(c, "IPv4Address");
  }
  return n;
}
}  // namespace

std::string Event::health_status() const {
  if (!starts_with(action, kHealthPrefix)) return {};
  return std::string(trim(std::string_view(action).substr(kHealthPrefix.size())));
}

Result<std::vector<ContainerSummary>> decode_container_list(std::string_view body) {
  return decode<std::vector<ContainerSummary>>(body, "the container list", [](const json& j) {
    std::vector<ContainerSummary> out;
    if (!j.is_array()) throw json::type_error::create(302, "expected an array", &j);
    for (const auto& item : j) {
      ContainerSummary c;
      c.id = str(item, "Id");
      const auto& names = member(item, "Names");
      if (names.is_array() && !names.empty() && names.front().is_string()) {
        c.name = strip_slash(names.front().get<std::string>());
      }
      c.image = str(item, "Image");
      c.state = str(item, "State");
      c.status = str(item, "Status");
      c.labels = labels_of(item);
      out.push_back(std::move(c));
    }
    return out;
  });
}

Result<ContainerInfo> decode_container_inspect(std::string_view body) {
  return decode<ContainerInfo>(body, "a container", [](const json& j) {
    ContainerInfo c;
    c.id = str(j, "Id");
    c.name = strip_slash(str(j, "Name"));
    c.restart_count = integer(j, "RestartCount");
    const auto& config = member(j, "Config");
    c.image = str(config, "Image");
    c.labels = labels_of(config);
    const auto& exposed = member(config, "ExposedPorts");
    if (exposed.is_object()) {
      for (const auto& [port, ignored] : exposed.items()) c.exposed_ports.push_back(port);
    }
    const auto& state = member(j, "State");
    c.status = str(state, "Status");
    c.running = member(state, "Running").is_boolean() && member(state, "Running").get<bool>();
    c.exit_code = integer(state, "ExitCode");
    c.started_at = str(state, "StartedAt");
    const auto& health = member(state, "Health");
    c.health = health.is_object() ? str(health, "Status") : std::string();
    if (c.health.empty()) c.health = "none";
    c.failing_streak = integer(health, "FailingStreak");
    const auto& networks = member(member(j, "NetworkSettings"), "Networks");
    if (networks.is_object()) {
      for (const auto& [name, n] : networks.items()) {
        NetworkAttachment a;
        a.network_id = str(n, "NetworkID");
        a.ip_address = str(n, "IPAddress");
        a.prefix_len = integer(n, "IPPrefixLen");
        a.gateway = str(n, "Gateway");
        const auto& aliases = member(n, "Aliases");
        if (aliases.is_array()) {
          for (const auto& alias : aliases) {
            if (alias.is_string()) a.aliases.push_back(alias.get<std::string>());
          }
        }
        c.networks[name] = std::move(a);
      }
    }
    return c;
  });
}

Result<std::vector<NetworkInfo>> decode_network_list(std::string_view body) {
  return decode<std::vector<NetworkInfo>>(body, "the network list", [](const json& j) {
    if (!j.is_array()) throw json::type_error::create(302, "expected an array", &j);
    std::vector<NetworkInfo> out;
    for (const auto& item : j) out.push_back(network_of(item));
    return out;
  });
}

Result<NetworkInfo> decode_network(std::string_view body) {
  return decode<NetworkInfo>(body, "a network", [](const json& j) { return network_of(j); });
}

Result<std::string> decode_created_id(std::string_view body) {
  auto id =
      decode<std::string>(body, "a create response", [](const json& j) { return str(j, "Id"); });
  if (id && id->empty()) {
    return fail(ErrorCode::invalid_argument, "Docker's create response has no Id");
  }
  return id;
}

Result<Event> decode_event(std::string_view line) {
  return decode<Event>(line, "an event", [](const json& j) {
    Event e;
    e.type = str(j, "Type");
    e.action = str(j, "Action");
    const auto& actor = member(j, "Actor");
    e.actor_id = str(actor, "ID");
    const auto& attributes = member(actor, "Attributes");
    if (attributes.is_object()) {
      for (const auto& [k, v] : attributes.items()) {
        if (v.is_string()) e.attributes[k] = v.get<std::string>();
      }
    }
    const auto& nano = member(j, "timeNano");
    if (nano.is_number_integer()) {
      e.time_nano = nano.get<std::int64_t>();
    } else if (const auto& t = member(j, "time"); t.is_number_integer()) {
      e.time_nano = t.get<std::int64_t>() * 1'000'000'000;
    }
    return e;
  });
}

Error engine_error(std::string_view operation, int http_status, std::string_view body) {
  std::string message;
  auto j = json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) message = str(j, "message");
  if (message.empty()) message = std::string(trim(body.substr(0, 300)));
  if (message.empty()) message = "no message";
  ErrorCode code = ErrorCode::internal;
  switch (http_status) {
    case 400:
      code = ErrorCode::invalid_argument;
      break;
    case 401:
      code = ErrorCode::unauthorized;
      break;
    case 404:
      code = ErrorCode::not_found;
      break;
    case 403:  // the engine's "forbidden": overlapping pools, predefined networks
    case 409:
      code = ErrorCode::conflict;
      break;
    case 503:
      code = ErrorCode::unavailable;
      break;
    default:
      break;
  }
  return Error{code, "Docker refused " + std::string(operation) + ": " + message + " (HTTP " +
                         std::to_string(http_status) + ")"};
}

}  // namespace constellation::docker
