// The API's own request and response values, independent of Beast, so routing, auth and
// handlers are plain functions that unit tests and the fuzz target call without sockets.
// Everything here is a value type; nothing is shared between threads.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/error.hpp"

namespace constellation::api {

/// Which listener a request arrived on: the unix socket is trusted, TCP is not.
enum class PeerKind { unix_socket, tcp };

/// One HTTP request as the dispatcher sees it. The socket code fills method, target,
/// authorization, body and the peer; the dispatcher fills path, query and path_params.
struct Request {
  std::string method;         ///< "GET", "POST", ...
  std::string target;         ///< raw origin-form target, "/api/v1/events?limit=5"
  std::string authorization;  ///< the Authorization header value, "" if absent
  std::string body;
  PeerKind peer = PeerKind::unix_socket;
  std::string peer_address;  ///< TCP peer IP, "" on the unix socket

  std::string path;                                ///< percent-decoded path of target
  std::map<std::string, std::string> query;        ///< decoded query parameters
  std::map<std::string, std::string> path_params;  ///< values of {param} segments
};

/// One HTTP response. extra_headers never include Content-Type or Content-Length.
struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

/// A JSON response with `status` and the serialized `body` (invalid UTF-8 is replaced).
Response json_response(int status, const nlohmann::json& body);
/// {"error":{"code":..., "message":...}} with the status from http_status(error.code).
Response error_response(const Error& error);

/// Splits an origin-form target into a percent-decoded path and query parameters. A target
/// that is not origin-form, has bad %-escapes or repeats a parameter is invalid_argument.
Status parse_target(std::string_view target, Request& request);

/// Parses a JSON request body; the error names where parsing failed (line, column).
Result<nlohmann::json> parse_json_body(std::string_view body);

/// "api:unix" or "api:tcp:<peer ip>": the journal actor for a request's mutations.
std::string actor_of(const Request& request);

}  // namespace constellation::api
