// The real ApiClient: REST over libcurl (TCP, or the agent's unix socket through
// CURLOPT_UNIX_SOCKET_PATH) and the /ws subscription through ws_client.hpp.
// Timeouts: connect 2 s, whole request 10 s. libcurl is initialised on the first call.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "console/client/api_client.hpp"

namespace constellation::console {

/// Parses `address` and, for a TCP address, reads the bearer token from `token_file`
/// (config::read_secret: a token file readable by group or others is refused; the token is
/// kept in memory only and never logged). A unix socket is trusted and gets no token. Errors:
/// invalid_argument for a bad address, bad_config/not_found for the token file.
Result<std::unique_ptr<ApiClient>> make_curl_client(const std::string& address,
                                                    const std::optional<std::string>& token_file);

}  // namespace constellation::console
