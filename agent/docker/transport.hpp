// The one I/O edge of the Docker client: a blocking libcurl request over the engine's unix
// socket or TCP. Every call uses its own easy handle, so calls may run concurrently on
// different threads. Failures come back as values: a missing socket, permission denied,
// refused connections, timeouts and dropped streams each get an operator-readable message.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include "agent/docker/docker_host.hpp"
#include "agent/docker/request.hpp"
#include "shared/error.hpp"

namespace constellation::docker {

/// What came back. A 4xx/5xx status is not a transport error: the body holds the engine's
/// {"message"} and the caller turns it into an Error.
struct HttpResponse {
  int status = 0;
  std::string body;         ///< whole body, or for a streamed 2xx response nothing
  std::string api_version;  ///< Api-Version header
  std::string server;       ///< Server header
  bool cancelled = false;   ///< the stop token ended a streamed transfer
};

/// How one transfer behaves.
struct TransferOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds total_timeout{30000};  ///< 0 = none (event streams)
  /// When set, a 2xx body is delivered here fragment by fragment instead of being collected.
  std::function<void(std::string_view)> on_body;
  /// Requested stop ends the transfer within about a second (libcurl's progress callback).
  std::stop_token stop;
};

/// Performs one request; transport failures are errors (unavailable, timeout).
Result<HttpResponse> perform(const DockerHost& host, const Request& request,
                             const TransferOptions& options);

}  // namespace constellation::docker
