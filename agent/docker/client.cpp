// DockerClient: requests from request.hpp, sent through transport.hpp, decoded by
// decode.hpp; see client.hpp for the contract.
#include "agent/docker/client.hpp"

#include <cstdlib>

#include "agent/docker/decode.hpp"
#include "agent/docker/line_splitter.hpp"
#include "shared/log.hpp"

namespace constellation::docker {

DockerClient::DockerClient(DockerHost host, Timeouts timeouts)
    : host_(std::move(host)), timeouts_(timeouts) {}

DockerClient::DockerClient(const DockerClient& other)
    : host_(other.host_),
      timeouts_(other.timeouts_),
      negotiated_minor_(other.negotiated_minor_.load()) {}

Result<DockerClient> DockerClient::from_environment(Timeouts timeouts) {
  const char* env = std::getenv("DOCKER_HOST");
  auto host = docker_host_from_env(env ? std::optional<std::string_view>(env) : std::nullopt);
  if (!host) return std::unexpected(host.error());
  return DockerClient(std::move(*host), timeouts);
}

std::optional<ApiVersion> DockerClient::api_version() const {
  int minor = negotiated_minor_.load();
  if (minor < 0) return std::nullopt;
  return ApiVersion{1, minor};
}

Result<PingResult> DockerClient::ping() {
  TransferOptions options{timeouts_.connect, timeouts_.request, {}, {}};
  auto response = perform(host_, requests::ping(), options);
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) {
    return std::unexpected(engine_error("GET /_ping", response->status, response->body));
  }
  auto negotiated = negotiate_api_version(response->api_version);
  if (!negotiated) {
    return fail(negotiated.error().code,
                "Docker at " + host_.describe() + ": " + negotiated.error().message);
  }
  auto engine = parse_api_version(response->api_version);
  negotiated_minor_.store(negotiated->minor);
  return PingResult{*engine, *negotiated, response->server};
}

Result<ApiVersion> DockerClient::ensure_version() {
  if (auto v = api_version()) return *v;
  auto pinged = ping();
  if (!pinged) return std::unexpected(pinged.error());
  return pinged->negotiated;
}

Result<HttpResponse> DockerClient::call(const Request& request, std::chrono::milliseconds timeout,
                                        bool allow_304) {
  TransferOptions options{timeouts_.connect, timeout, {}, {}};
  auto response = perform(host_, request, options);
  if (!response) return response;
  int status = response->status;
  if ((status >= 200 && status < 300) || (allow_304 && status == 304)) return response;
  return std::unexpected(engine_error(request.describe(), status, response->body));
}

Result<std::vector<ContainerSummary>> DockerClient::list_containers(bool all,
                                                                    const Filters& filters) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::list_containers(*v, all, filters), timeouts_.request);
  if (!r) return std::unexpected(r.error());
  return decode_container_list(r->body);
}

Result<ContainerInfo> DockerClient::inspect_container(std::string_view id) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::inspect_container(*v, id), timeouts_.request);
  if (!r) return std::unexpected(r.error());
  return decode_container_inspect(r->body);
}

Result<std::string> DockerClient::create_container(std::string_view name,
                                                   const ContainerSpec& spec) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::create_container(*v, name, spec), timeouts_.request);
  if (!r) return std::unexpected(r.error());
  return decode_created_id(r->body);
}

Status DockerClient::start_container(std::string_view id) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::start_container(*v, id), timeouts_.request, true);
  if (!r) return std::unexpected(r.error());
  return {};
}

namespace {
// The engine waits up to t seconds before killing; the request must outlive that wait.
std::chrono::milliseconds with_grace(std::chrono::milliseconds base, std::optional<int> t) {
  return base + std::chrono::seconds(t.value_or(10));
}
}  // namespace

Status DockerClient::stop_container(std::string_view id, std::optional<int> timeout_s) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::stop_container(*v, id, timeout_s),
                with_grace(timeouts_.request, timeout_s), true);
  if (!r) return std::unexpected(r.error());
  return {};
}

Status DockerClient::restart_container(std::string_view id, std::optional<int> timeout_s) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::restart_container(*v, id, timeout_s),
                with_grace(timeouts_.request, timeout_s));
  if (!r) return std::unexpected(r.error());
  return {};
}

Status DockerClient::remove_container(std::string_view id, bool force) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::remove_container(*v, id, force), timeouts_.request);
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<std::vector<NetworkInfo>> DockerClient::list_networks(const Filters& filters) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::list_networks(*v, filters), timeouts_.request);
  if (!r) return std::unexpected(r.error());
  return decode_network_list(r->body);
}

Result<NetworkInfo> DockerClient::inspect_network(std::string_view id) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::inspect_network(*v, id), timeouts_.request);
  if (!r) return std::unexpected(r.error());
  return decode_network(r->body);
}

Result<std::string> DockerClient::create_network(const NetworkSpec& spec) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::create_network(*v, spec), timeouts_.request);
  if (!r) return std::unexpected(r.error());
  return decode_created_id(r->body);
}

Status DockerClient::connect_network(std::string_view network, std::string_view container,
                                     const std::vector<std::string>& aliases) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::connect_network(*v, network, container, aliases), timeouts_.request);
  if (!r) return std::unexpected(r.error());
  return {};
}

Status DockerClient::remove_network(std::string_view id) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto r = call(requests::remove_network(*v, id), timeouts_.request);
  if (!r) return std::unexpected(r.error());
  return {};
}

Status DockerClient::events(const EventsQuery& query,
                            const std::function<void(const Event&)>& on_event,
                            std::stop_token stop) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto request = requests::events(*v, query);
  LineSplitter splitter;
  std::optional<Error> stream_error;
  std::stop_source overflow;
  auto on_line = [&](std::string_view line) {
    auto event = decode_event(line);
    if (!event) {
      log::get("docker")->warn("skipping undecodable Docker event: {}", event.error().message);
      return;
    }
    on_event(*event);
  };
  // Stop on the caller's request or when the stream itself is broken (an absurd line).
  std::stop_callback forward(stop, [&overflow] { overflow.request_stop(); });
  TransferOptions options{timeouts_.connect, std::chrono::milliseconds(0),
                          [&](std::string_view fragment) {
                            if (stream_error) return;
                            if (auto s = splitter.feed(fragment, on_line); !s) {
                              stream_error = s.error();
                              overflow.request_stop();
                            }
                          },
                          overflow.get_token()};
  auto response = perform(host_, request, options);
  if (stream_error) return std::unexpected(*stream_error);
  if (!response) {
    auto e = response.error();
    if (e.code == ErrorCode::timeout) e.code = ErrorCode::unavailable;
    return std::unexpected(e);
  }
  if (response->cancelled) return {};
  if (response->status < 200 || response->status >= 300) {
    return std::unexpected(engine_error(request.describe(), response->status, response->body));
  }
  if (auto rest = splitter.take_rest(); !rest.empty()) on_line(rest);
  if (query.until) return {};
  return fail(ErrorCode::unavailable,
              "Docker at " + host_.describe() + " closed the event stream (dockerd restarting?)");
}

Result<BuildResult> DockerClient::progress_call(const Request& request, std::string what,
                                                const ProgressStream::Callback& on_progress) {
  ProgressStream stream(std::move(what), on_progress);
  std::optional<Error> stream_error;
  std::stop_source abort;
  TransferOptions options{timeouts_.connect, timeouts_.build,
                          [&](std::string_view fragment) {
                            if (stream_error) return;
                            if (auto s = stream.feed(fragment); !s) {
                              stream_error = s.error();
                              abort.request_stop();
                            }
                          },
                          abort.get_token()};
  auto response = perform(host_, request, options);
  if (stream_error) return std::unexpected(*stream_error);
  if (!response) return std::unexpected(response.error());
  if (response->status < 200 || response->status >= 300) {
    return std::unexpected(engine_error(request.describe(), response->status, response->body));
  }
  return stream.finish();
}

Result<BuildResult> DockerClient::build_image(const BuildOptions& options, std::string tar_context,
                                              const ProgressStream::Callback& on_progress) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto what = "docker build" + (options.tag.empty() ? std::string() : " of " + options.tag);
  return progress_call(requests::build_image(*v, options, std::move(tar_context)), what,
                       on_progress);
}

Status DockerClient::import_image(std::string_view repo, std::string_view tag,
                                  std::string tar_rootfs) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto what = "docker import of " + std::string(repo) + ":" + std::string(tag);
  auto r = progress_call(requests::import_image(*v, repo, tag, std::move(tar_rootfs)), what, {});
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace constellation::docker
