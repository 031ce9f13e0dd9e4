// Sans-IO construction of Engine API requests: method, versioned target with encoded query,
// body and content type. Every POST carries a content type (application/json, or
// application/x-tar for build and import), which the engine insists on.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/docker/api_version.hpp"
#include "agent/docker/types.hpp"

namespace constellation::docker {

enum class Method { get, head, post, del };

/// "GET", "POST", ...
std::string_view method_name(Method method);

/// One HTTP request to the engine, ready for a transport.
struct Request {
  Method method = Method::get;
  std::string target;        ///< "/v1.47/containers/json?all=1"
  std::string body;          ///< empty for GET/DELETE and bodiless POSTs
  std::string content_type;  ///< set for every POST

  /// "POST /v1.47/containers/create?name=web" for messages (never includes the body).
  std::string describe() const;
};

/// Percent-encodes everything except RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);
/// The engine's filters JSON ({"label":["a=b"]}), URL-encoded; empty when there are none.
std::string encode_filters(const Filters& filters);

/// Request builders; `v` is the negotiated version pinned in the path.
namespace requests {
Request ping();
Request version(ApiVersion v);
Request list_containers(ApiVersion v, bool all, const Filters& filters = {});
Request inspect_container(ApiVersion v, std::string_view id);
Request create_container(ApiVersion v, std::string_view name, const ContainerSpec& spec);
Request start_container(ApiVersion v, std::string_view id);
Request stop_container(ApiVersion v, std::string_view id, std::optional<int> timeout_s);
Request restart_container(ApiVersion v, std::string_view id, std::optional<int> timeout_s);
Request remove_container(ApiVersion v, std::string_view id, bool force);
Request list_networks(ApiVersion v, const Filters& filters = {});
Request inspect_network(ApiVersion v, std::string_view id);
Request create_network(ApiVersion v, const NetworkSpec& spec);
Request connect_network(ApiVersion v, std::string_view network, std::string_view container,
                        const std::vector<std::string>& aliases = {});
Request remove_network(ApiVersion v, std::string_view id);
/// POST /containers/{id}/exec: a process with stdout and stderr attached, no TTY.
Request exec_create(ApiVersion v, std::string_view container, const std::vector<std::string>& cmd);
/// POST /exec/{id}/start, attached: the answer is the process's multiplexed output.
Request exec_start(ApiVersion v, std::string_view exec_id);
/// GET /exec/{id}/json: ExitCode once the process ended.
Request exec_inspect(ApiVersion v, std::string_view exec_id);
Request events(ApiVersion v, const EventsQuery& query);
Request build_image(ApiVersion v, const BuildOptions& options, std::string tar_context);
Request import_image(ApiVersion v, std::string_view repo, std::string_view tag,
                     std::string tar_rootfs);
}  // namespace requests

/// The JSON body of a create request (exposed for tests).
std::string container_create_body(const ContainerSpec& spec);
/// The JSON body of a network create request (exposed for tests).
std::string network_create_body(const NetworkSpec& spec);

}  // namespace constellation::docker
