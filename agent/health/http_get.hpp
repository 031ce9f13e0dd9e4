// Bounded blocking probes for the egress and service checks: an HTTP(S) GET (public-IP
// endpoints, the WARP trace, http service checks) over libcurl, one easy handle per call, body
// capped at 64 KiB, 2xx required for http_get; a TCP connect. Call them on a worker thread, never
// on the loop thread. Thread-safe.
#pragma once

#include <chrono>
#include <string>

#include "shared/error.hpp"

namespace constellation::health {

/// The body of a 2xx answer; unavailable (naming the URL) when the server cannot be reached,
/// timeout when it does not answer in time, internal for another status.
Result<std::string> http_get(const std::string& url, std::chrono::milliseconds timeout);

/// The HTTP status a GET of `url` gets (any status), or why there was none.
Result<int> http_status(const std::string& url, std::chrono::milliseconds timeout);

/// Whether a TCP connection to host:port opens within `timeout` (then closed at once).
Status tcp_connect(const std::string& host, int port, std::chrono::milliseconds timeout);

}  // namespace constellation::health
