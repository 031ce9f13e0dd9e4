// Test HTTP client over POSIX sockets.
#include "tests/harness/http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cstring>

namespace constellation::testing {

int connect_to(const Target& target) {
  if (auto unix_target = std::get_if<UnixTarget>(&target)) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, unix_target->path.c_str(), sizeof addr.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }
  const auto& tcp = std::get<TcpTarget>(target);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(tcp.port));
  ::inet_pton(AF_INET, tcp.host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::optional<std::string> raw_exchange(const Target& target, const std::string& bytes,
                                        int timeout_ms) {
  int fd = connect_to(target);
  if (fd < 0) return std::nullopt;
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (413); read what it said
    sent += static_cast<std::size_t>(n);
  }
  std::string out;
  pollfd pfd{fd, POLLIN, 0};
  while (::poll(&pfd, 1, timeout_ms) > 0) {
    char buf[8192];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

std::optional<HttpResponse> parse_response(const std::string& raw) {
  auto head_end = raw.find("\r\n\r\n");
  if (raw.compare(0, 5, "HTTP/") != 0 || head_end == std::string::npos) return std::nullopt;
  HttpResponse response;
  response.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  std::size_t line_start = raw.find("\r\n") + 2;
  while (line_start < head_end) {
    std::size_t line_end = raw.find("\r\n", line_start);
    std::string line = raw.substr(line_start, line_end - line_start);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      response.headers[name] = value;
    }
    line_start = line_end + 2;
  }
  response.body = raw.substr(head_end + 4);
  if (auto it = response.headers.find("content-length"); it != response.headers.end())
    response.body.resize(std::min<std::size_t>(response.body.size(), std::stoul(it->second)));
  return response;
}

std::optional<HttpResponse> http_request(const Target& target, const std::string& method,
                                         const std::string& path, const std::string& body,
                                         const std::map<std::string, std::string>& headers) {
  std::string request =
      method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST")
    request +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  auto raw = raw_exchange(target, request);
  if (!raw) return std::nullopt;
  return parse_response(*raw);
}

}  // namespace constellation::testing
