// A deliberately small HTTP/1.1 client for black-box tests: it can send well-formed requests
// and arbitrary bytes (malformed requests, oversized bodies) over a unix socket or TCP, which
// a real client library would refuse to do.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>

namespace constellation::testing {

struct UnixTarget {
  std::string path;
};
struct TcpTarget {
  std::string host;
  int port;
};
using Target = std::variant<UnixTarget, TcpTarget>;

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< lower-case names
  std::string body;
};

/// Sends one request with Connection: close and reads the whole response; nullopt if the
/// connection could not be made.
std::optional<HttpResponse> http_request(const Target& target, const std::string& method,
                                         const std::string& path, const std::string& body = "",
                                         const std::map<std::string, std::string>& headers = {});
/// Writes `bytes` as they are and returns everything read until the peer closes (or timeout).
std::optional<std::string> raw_exchange(const Target& target, const std::string& bytes,
                                        int timeout_ms = 5000);
/// Parses a raw response (status line, headers, body).
std::optional<HttpResponse> parse_response(const std::string& raw);
/// Opens a connected socket (unix or TCP), -1 on failure.
int connect_to(const Target& target);

}  // namespace constellation::testing
