// Engine API request builders; see request.hpp. Bodies are built with nlohmann::json, whose
// dump() does not throw for the UTF-8 we pass (invalid UTF-8 is replaced, not thrown).
#include "agent/docker/request.hpp"

#include <nlohmann/json.hpp>

namespace constellation::docker {

namespace {
using nlohmann::json;

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kTar = "application/x-tar";

std::string prefix(ApiVersion v) {
  return "/v" + v.str();
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string path_part(std::string_view text) {
  return url_encode(text);
}

Request get(std::string target) {
  return Request{Method::get, std::move(target), {}, {}};
}

Request post(std::string target, std::string body = {}, std::string_view type = kJson) {
  return Request{Method::post, std::move(target), std::move(body), std::string(type)};
}

std::int64_t nanos(std::chrono::milliseconds ms) {
  return static_cast<std::int64_t>(ms.count()) * 1'000'000;
}

json labels_json(const Labels& labels) {
  json out = json::object();
  for (const auto& [k, v] : labels) out[k] = v;
  return out;
}

void append_query(std::string& target, std::string_view key, std::string_view value) {
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += key;
  target += '=';
  target += value;
}
}  // namespace

std::string_view method_name(Method method) {
  switch (method) {
    case Method::get:
      return "GET";
    case Method::head:
      return "HEAD";
    case Method::post:
      return "POST";
    case Method::del:
      return "DELETE";
  }
  return "GET";
}

std::string Request::describe() const {
  return std::string(method_name(method)) + " " + target;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string encode_filters(const Filters& filters) {
  if (filters.empty()) return {};
  json j = json::object();
  for (const auto& [key, values] : filters) j[key] = values;
  return url_encode(dump(j));
}

std::string container_create_body(const ContainerSpec& spec) {
  json body = {{"Image", spec.image}, {"Labels", labels_json(spec.labels)}};
  if (!spec.cmd.empty()) body["Cmd"] = spec.cmd;
  if (!spec.env.empty()) body["Env"] = spec.env;
  if (!spec.exposed_ports.empty()) {
    body["ExposedPorts"] = json::object();
    for (const auto& port : spec.exposed_ports) body["ExposedPorts"][port] = json::object();
  }
  if (spec.healthcheck) {
    const auto& h = *spec.healthcheck;
    body["Healthcheck"] = {{"Test", h.test},
                           {"Interval", nanos(h.interval)},
                           {"Timeout", nanos(h.timeout)},
                           {"StartPeriod", nanos(h.start_period)},
                           {"Retries", h.retries}};
  }
  json host = json::object();
  if (!spec.binds.empty()) host["Binds"] = spec.binds;
  if (!spec.network_mode.empty()) host["NetworkMode"] = spec.network_mode;
  if (!spec.restart_policy.empty()) {
    host["RestartPolicy"] = {{"Name", spec.restart_policy}, {"MaximumRetryCount", 0}};
  }
  body["HostConfig"] = host;
  return dump(body);
}

std::string network_create_body(const NetworkSpec& spec) {
  json pools = json::array();
  for (const auto& p : spec.pools) {
    json pool = {{"Subnet", p.subnet}};
    if (!p.gateway.empty()) pool["Gateway"] = p.gateway;
    pools.push_back(pool);
  }
  json body = {{"Name", spec.name},
               {"Driver", spec.driver},
               {"Internal", spec.internal},
               {"Attachable", spec.attachable},
               // API < 1.44 allows duplicate names unless asked; 1.44+ ignores the field.
               {"CheckDuplicate", true},
               {"Labels", labels_json(spec.labels)},
               {"IPAM", {{"Driver", "default"}, {"Config", pools}}}};
  return dump(body);
}

namespace requests {

Request ping() {
  return get("/_ping");
}

Request version(ApiVersion v) {
  return get(prefix(v) + "/version");
}

Request list_containers(ApiVersion v, bool all, const Filters& filters) {
  auto target = prefix(v) + "/containers/json";
  if (all) append_query(target, "all", "1");
  if (auto f = encode_filters(filters); !f.empty()) append_query(target, "filters", f);
  return get(std::move(target));
}

Request inspect_container(ApiVersion v, std::string_view id) {
  return get(prefix(v) + "/containers/" + path_part(id) + "/json");
}

Request create_container(ApiVersion v, std::string_view name, const ContainerSpec& spec) {
  auto target = prefix(v) + "/containers/create";
  if (!name.empty()) append_query(target, "name", url_encode(name));
  return post(std::move(target), container_create_body(spec));
}

Request start_container(ApiVersion v, std::string_view id) {
  return post(prefix(v) + "/containers/" + path_part(id) + "/start");
}

Request stop_container(ApiVersion v, std::string_view id, std::optional<int> timeout_s) {
  auto target = prefix(v) + "/containers/" + path_part(id) + "/stop";
  if (timeout_s) append_query(target, "t", std::to_string(*timeout_s));
  return post(std::move(target));
}

Request restart_container(ApiVersion v, std::string_view id, std::optional<int> timeout_s) {
  auto target = prefix(v) + "/containers/" + path_part(id) + "/restart";
  if (timeout_s) append_query(target, "t", std::to_string(*timeout_s));
  return post(std::move(target));
}

Request remove_container(ApiVersion v, std::string_view id, bool force) {
  auto target = prefix(v) + "/containers/" + path_part(id);
  if (force) append_query(target, "force", "1");
  return Request{Method::del, std::move(target), {}, {}};
}

Request list_networks(ApiVersion v, const Filters& filters) {
  auto target = prefix(v) + "/networks";
  if (auto f = encode_filters(filters); !f.empty()) append_query(target, "filters", f);
  return get(std::move(target));
}

Request inspect_network(ApiVersion v, std::string_view id) {
  return get(prefix(v) + "/networks/" + path_part(id));
}

Request create_network(ApiVersion v, const NetworkSpec& spec) {
  return post(prefix(v) + "/networks/create", network_create_body(spec));
}

Request connect_network(ApiVersion v, std::string_view network, std::string_view container,
                        const std::vector<std::string>& aliases) {
  json body = {{"Container", std::string(container)}};
  if (!aliases.empty()) body["EndpointConfig"] = {{"Aliases", aliases}};
  return post(prefix(v) + "/networks/" + path_part(network) + "/connect", dump(body));
}

Request remove_network(ApiVersion v, std::string_view id) {
  return Request{Method::del, prefix(v) + "/networks/" + path_part(id), {}, {}};
}

Request exec_create(ApiVersion v, std::string_view container, const std::vector<std::string>& cmd) {
  json body{{"AttachStdout", true}, {"AttachStderr", true}, {"Tty", false}, {"Cmd", cmd}};
  return post(prefix(v) + "/containers/" + path_part(container) + "/exec", body.dump());
}

Request exec_start(ApiVersion v, std::string_view exec_id) {
  return post(prefix(v) + "/exec/" + path_part(exec_id) + "/start",
              json{{"Detach", false}, {"Tty", false}}.dump());
}

Request exec_inspect(ApiVersion v, std::string_view exec_id) {
  return get(prefix(v) + "/exec/" + path_part(exec_id) + "/json");
}

Request events(ApiVersion v, const EventsQuery& query) {
  auto target = prefix(v) + "/events";
  if (query.since) append_query(target, "since", std::to_string(*query.since));
  if (query.until) append_query(target, "until", std::to_string(*query.until));
  if (auto f = encode_filters(query.filters); !f.empty()) append_query(target, "filters", f);
  return get(std::move(target));
}

Request build_image(ApiVersion v, const BuildOptions& options, std::string tar_context) {
  auto target = prefix(v) + "/build";
  if (!options.tag.empty()) append_query(target, "t", url_encode(options.tag));
  append_query(target, "dockerfile", url_encode(options.dockerfile));
  append_query(target, "rm", "1");
  if (options.nocache) append_query(target, "nocache", "1");
  if (!options.labels.empty()) {
    append_query(target, "labels", url_encode(dump(labels_json(options.labels))));
  }
  return post(std::move(target), std::move(tar_context), kTar);
}

Request import_image(ApiVersion v, std::string_view repo, std::string_view tag,
                     std::string tar_rootfs) {
  auto target = prefix(v) + "/images/create?fromSrc=-";
  append_query(target, "repo", url_encode(repo));
  if (!tag.empty()) append_query(target, "tag", url_encode(tag));
  return post(std::move(target), std::move(tar_rootfs), kTar);
}

}  // namespace requests
}  // namespace constellation::docker
