// Running a command inside a container (docker exec) and reading what it printed. The engine
// answers an attached, TTY-less exec with its "stdcopy" stream: frames of an 8-byte header
// (stream 1 = stdout, 2 = stderr, then a big-endian length) and the payload. The WARP
// monitor uses this to fetch its trace document through the gateway container itself.
//
// demux_stdcopy is pure; DockerClient::exec (client.hpp) does the three engine calls.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "shared/error.hpp"

namespace constellation::docker {

/// What an exec'd process left behind.
struct ExecResult {
  int exit_code = -1;
  std::string out{};  ///< stdout
  std::string err{};  ///< stderr
};

/// Splits a stdcopy stream into stdout and stderr (into `result.out`/`result.err`).
/// invalid_argument naming the offset for a truncated frame or an unknown stream number.
Status demux_stdcopy(std::string_view stream, ExecResult& result);

/// The command that fetches `url` inside a container: curl when the image has it, else
/// wget under timeout(1), printing only the body and failing on an HTTP error.
std::vector<std::string> fetch_command(const std::string& url, std::chrono::milliseconds timeout);

class DockerClient;
/// GETs `url` from inside the running container `container` (its network, its egress) and
/// returns the body. unavailable naming the container and the tool's message when the fetch
/// fails there; engine errors as DockerClient reports them. Blocking: call on a worker.
Result<std::string> fetch_in_container(DockerClient& client, const std::string& container,
                                       const std::string& url, std::chrono::milliseconds timeout);

}  // namespace constellation::docker
