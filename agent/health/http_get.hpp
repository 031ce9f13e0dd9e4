// A bounded blocking HTTP(S) GET for the egress checks (public-IP endpoints, the WARP trace):
// libcurl, one easy handle per call, body capped at 64 KiB, 2xx required. Call it on a worker
// thread, never on the loop thread. Thread-safe.
#pragma once

#include <chrono>
#include <string>

#include "shared/error.hpp"

namespace constellation::health {

/// The body of a 2xx answer; unavailable (naming the URL) when the server cannot be reached,
/// timeout when it does not answer in time, internal for another status.
Result<std::string> http_get(const std::string& url, std::chrono::milliseconds timeout);

}  // namespace constellation::health
