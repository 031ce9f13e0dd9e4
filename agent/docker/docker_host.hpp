// Where the Docker engine listens: DOCKER_HOST (unix:///path or tcp://host:port) or the
// default socket. Parsing only; the transport turns an endpoint into libcurl options.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "shared/error.hpp"

namespace constellation::docker {

/// The engine's default socket when DOCKER_HOST is unset or empty.
inline constexpr std::string_view kDefaultDockerSocket = "/var/run/docker.sock";

/// A parsed engine address: either a unix socket path or a TCP host:port (plain HTTP).
struct DockerHost {
  std::string unix_socket;  ///< non-empty for unix://
  std::string tcp_host;     ///< non-empty for tcp://
  int tcp_port = 0;

  bool is_unix() const { return !unix_socket.empty(); }
  /// Base URL for requests: "http://localhost" over a unix socket, else "http://host:port".
  std::string base_url() const;
  /// For messages: the socket path or host:port.
  std::string describe() const;
};

/// Parses "unix:///run/docker.sock", "tcp://127.0.0.1:2375" (port defaults to 2375) or a bare
/// absolute path; invalid_argument for anything else (ssh://, npipe://, relative paths).
Result<DockerHost> parse_docker_host(std::string_view text);

/// The endpoint from a DOCKER_HOST value (nullopt or empty = default socket).
Result<DockerHost> docker_host_from_env(std::optional<std::string_view> docker_host_env);

}  // namespace constellation::docker
