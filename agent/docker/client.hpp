// DockerClient: the blocking Engine API client the agent runs on its worker pool. It pings
// the engine, negotiates the API version (min(engine, 1.47), refusing < 1.41) and pins it in
// every path. Errors are values: transport failures are unavailable/timeout with the socket
// named, engine refusals carry the engine's own message and map 404/409/400 to codes.
//
// Threading: every call uses its own connection; after construction a client may be used
// from several threads at once (the negotiated version is an atomic). A streamed call
// (events, build) blocks its thread until it ends or its stop token is triggered.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "agent/docker/api_version.hpp"
#include "agent/docker/docker_host.hpp"
#include "agent/docker/exec.hpp"
#include "agent/docker/progress.hpp"
#include "agent/docker/request.hpp"
#include "agent/docker/transport.hpp"
#include "agent/docker/types.hpp"
#include "shared/error.hpp"

namespace constellation::docker {

/// Bounds on every call. Build and import upload a context and run steps, so they get
/// their own (still finite) limit; event streams have none but stop on request.
struct Timeouts {
  std::chrono::milliseconds connect{2000};
  std::chrono::milliseconds request{30000};
  std::chrono::milliseconds build{600000};
};

/// What /_ping told us.
struct PingResult {
  ApiVersion engine;      ///< the engine's maximum (Api-Version header)
  ApiVersion negotiated;  ///< what this client now speaks
  std::string server;     ///< "Docker/20.10.24+dfsg1 (linux)"
};

/// Blocking Engine API client; see the file comment for threading and failures.
class DockerClient {
 public:
  explicit DockerClient(DockerHost host, Timeouts timeouts = {});

  /// A client for DOCKER_HOST from the environment (default /var/run/docker.sock).
  static Result<DockerClient> from_environment(Timeouts timeouts = {});

  /// Copies the endpoint, bounds and negotiated version (for handing a client to a thread).
  DockerClient(const DockerClient& other);
  DockerClient& operator=(const DockerClient&) = delete;

  const DockerHost& host() const { return host_; }

  /// GET /_ping and (re)negotiate the version. Other calls ping first if nothing was
  /// negotiated yet, so an explicit ping is only needed to check health or after an outage.
  Result<PingResult> ping();
  /// The negotiated version, if a ping succeeded.
  std::optional<ApiVersion> api_version() const;

  /// GET /containers/json (all = include stopped ones).
  Result<std::vector<ContainerSummary>> list_containers(bool all, const Filters& filters = {});
  /// GET /containers/{id}/json.
  Result<ContainerInfo> inspect_container(std::string_view id);
  /// POST /containers/create; returns the new id. The image must exist (create never pulls).
  Result<std::string> create_container(std::string_view name, const ContainerSpec& spec);
  /// POST /containers/{id}/start; already running (304) is success.
  Status start_container(std::string_view id);
  /// POST /containers/{id}/stop; already stopped (304) is success.
  Status stop_container(std::string_view id, std::optional<int> timeout_s = std::nullopt);
  /// POST /containers/{id}/restart.
  Status restart_container(std::string_view id, std::optional<int> timeout_s = std::nullopt);
  /// DELETE /containers/{id}.
  Status remove_container(std::string_view id, bool force = false);

  /// GET /networks.
  Result<std::vector<NetworkInfo>> list_networks(const Filters& filters = {});
  /// GET /networks/{id-or-name}.
  Result<NetworkInfo> inspect_network(std::string_view id);
  /// POST /networks/create; returns the id. A duplicate name is conflict.
  Result<std::string> create_network(const NetworkSpec& spec);
  /// POST /networks/{id}/connect.
  Status connect_network(std::string_view network, std::string_view container,
                         const std::vector<std::string>& aliases = {});
  /// DELETE /networks/{id}.
  Status remove_network(std::string_view id);

  /// Streams GET /events, calling on_event for each decoded event on this thread (undecodable
  /// lines are logged and skipped). Returns ok when `stop` is requested or `until` is reached;
  /// unavailable when the engine ends or drops the stream (the caller reconnects with
  /// since = last event time and re-lists). on_event must not throw.
  Status events(const EventsQuery& query, const std::function<void(const Event&)>& on_event,
                std::stop_token stop = {});

  /// POST /build with a tar context; progress lines go to on_progress as they arrive. An
  /// error line inside the 200 stream fails the build with the engine's message.
  Result<BuildResult> build_image(const BuildOptions& options, std::string tar_context,
                                  const ProgressStream::Callback& on_progress = {});
  /// Runs `cmd` in a running container (docker exec, no TTY) and waits up to `timeout` for
  /// it to end; its output and exit code come back (a non-zero exit is not an error here).
  Result<ExecResult> exec(std::string_view container, const std::vector<std::string>& cmd,
                          std::chrono::milliseconds timeout);
  /// POST /images/create?fromSrc=- : imports a root filesystem tar as repo:tag.
  Status import_image(std::string_view repo, std::string_view tag, std::string tar_rootfs);

 private:
  Result<ApiVersion> ensure_version();
  /// Sends a request; 2xx (and 304 when allow_304) is success, other statuses engine errors.
  Result<HttpResponse> call(const Request& request, std::chrono::milliseconds timeout,
                            bool allow_304 = false);
  Result<BuildResult> progress_call(const Request& request, std::string what,
                                    const ProgressStream::Callback& on_progress);

  DockerHost host_;
  Timeouts timeouts_;
  std::atomic<int> negotiated_minor_{-1};  ///< -1 until a ping succeeds; major is always 1
};

}  // namespace constellation::docker
