// Beast clients for the server tests: an HTTP/1.1 connection (keep-alive, raw bytes) and a
// WebSocket connection, over the unix socket or TCP. Every read is bounded by a timeout so a
// broken server fails a test instead of hanging it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace constellation::api::testing {

/// Where to connect: the unix socket when `unix_path` is set, else 127.0.0.1:`port`.
struct Target {
  std::string unix_path;
  std::uint16_t port = 0;
};

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< lower-case names
  std::string body;
};

using Headers = std::vector<std::pair<std::string, std::string>>;
inline constexpr auto kClientTimeout = std::chrono::seconds(10);

class HttpConnection {
 public:
  explicit HttpConnection(const Target& target);
  ~HttpConnection();
  /// Sends one request on this connection and reads the reply; nullopt on error or timeout.
  std::optional<Reply> request(const std::string& method, const std::string& target,
                               const std::string& body = "", const Headers& headers = {});
  /// Writes raw bytes.
  bool send_raw(const std::string& bytes);
  /// Reads one reply.
  std::optional<Reply> read_reply();
  /// True when the server closes the connection (EOF or reset) within the client timeout.
  bool closed_by_server();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class WsConnection {
 public:
  explicit WsConnection(const Target& target, const std::string& path = "/ws");
  ~WsConnection();
  bool open() const;
  /// The next text message as JSON; nullopt when the connection ends or times out.
  std::optional<nlohmann::json> next();
  void send(const nlohmann::json& message);
  /// Reads until the server closes; the close code it sent (0 if none / timeout).
  int wait_for_close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace constellation::api::testing
