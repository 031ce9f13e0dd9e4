// DOCKER_HOST parsing; see docker_host.hpp.
#include "agent/docker/docker_host.hpp"

#include <charconv>

#include "shared/strings.hpp"

namespace constellation::docker {

std::string DockerHost::base_url() const {
  if (is_unix()) return "http://localhost";
  return "http://" + tcp_host + ":" + std::to_string(tcp_port);
}

std::string DockerHost::describe() const {
  if (is_unix()) return unix_socket;
  return tcp_host + ":" + std::to_string(tcp_port);
}

namespace {
constexpr std::size_t kMaxUnixPath = 107;  // sun_path minus the terminating NUL

std::unexpected<Error> bad_host(std::string_view text, std::string_view why) {
  return fail(ErrorCode::invalid_argument, "invalid DOCKER_HOST \"" + std::string(text) +
                                               "\": " + std::string(why) +
                                               " (want unix:///path/to/docker.sock or "
                                               "tcp://host:port)");
}
}  // namespace

Result<DockerHost> parse_docker_host(std::string_view text) {
  auto value = trim(text);
  DockerHost host;
  if (starts_with(value, "unix://") || starts_with(value, "/")) {
    auto path = starts_with(value, "unix://") ? value.substr(7) : value;
    if (!starts_with(path, "/")) return bad_host(text, "the socket path must be absolute");
    if (path.size() > kMaxUnixPath) return bad_host(text, "the socket path is over 107 bytes");
    host.unix_socket = std::string(path);
    return host;
  }
  if (starts_with(value, "tcp://")) {
    auto rest = value.substr(6);
    if (auto slash = rest.find('/'); slash != std::string_view::npos) {
      rest = rest.substr(0, slash);
    }
    auto colon = rest.rfind(':');
    std::string_view name = rest;
    int port = 2375;
    if (colon != std::string_view::npos) {
      name = rest.substr(0, colon);
      auto digits = rest.substr(colon + 1);
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
      if (ec != std::errc{} || end != digits.data() + digits.size() || port <= 0 || port > 65535) {
        return bad_host(text, "the port must be a number from 1 to 65535");
      }
    }
    if (name.empty()) return bad_host(text, "the host is missing");
    host.tcp_host = std::string(name);
    host.tcp_port = port;
    return host;
  }
  return bad_host(text, "unsupported scheme");
}

Result<DockerHost> docker_host_from_env(std::optional<std::string_view> docker_host_env) {
  if (!docker_host_env || trim(*docker_host_env).empty()) {
    return parse_docker_host(kDefaultDockerSocket);
  }
  return parse_docker_host(*docker_host_env);
}

}  // namespace constellation::docker
