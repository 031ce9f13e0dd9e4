// FakeTailscaled: see fake_tailscaled.hpp. One request per connection (the clients under test
// send one), answered with Connection: close.
#include "tests/harness/fake_tailscaled.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace constellation::testing {
namespace {

std::string lower(std::string text) {
  for (auto& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
  std::size_t start = text.find_first_not_of(' ');
  return start == std::string::npos ? "" : text.substr(start);
}

void send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

std::string response(int status, const std::string& reason, const std::string& type,
                     const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nTailscale-Version: 1.76.6-fake\r\nConnection: close\r\n\r\n" + body;
}
}  // namespace

FakeTailscaled::FakeTailscaled(std::string socket_path, std::string document_path)
    : socket_path_(std::move(socket_path)), document_path_(std::move(document_path)) {
  listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof addr.sun_path)
    throw std::runtime_error("fake tailscaled socket path too long: " + socket_path_);
  std::memcpy(addr.sun_path, socket_path_.c_str(), socket_path_.size() + 1);
  ::unlink(socket_path_.c_str());
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener_, 16) != 0 || ::pipe(wake_) != 0)
    throw std::runtime_error("fake tailscaled cannot listen on " + socket_path_ + ": " +
                             std::strerror(errno));
  thread_ = std::thread([this] { serve(); });
}

FakeTailscaled::~FakeTailscaled() {
  if (wake_[1] >= 0) (void)!::write(wake_[1], "x", 1);
  if (thread_.joinable()) thread_.join();
  for (int fd : {listener_, wake_[0], wake_[1]})
    if (fd >= 0) ::close(fd);
  ::unlink(socket_path_.c_str());
}

void FakeTailscaled::set_forbidden(std::string body) {
  std::lock_guard lock(mutex_);
  forbidden_ = std::move(body);
}

std::string FakeTailscaled::last_host() const {
  std::lock_guard lock(mutex_);
  return last_host_;
}

void FakeTailscaled::serve() {
  for (;;) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    answer(client);
    ::close(client);
  }
}

void FakeTailscaled::answer(int client) {
  std::string request;
  char chunk[4096];
  while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
    pollfd pfd{client, POLLIN, 0};
    if (::poll(&pfd, 1, 5000) <= 0) return;
    ssize_t n = ::recv(client, chunk, sizeof chunk, 0);
    if (n <= 0) return;
    request.append(chunk, static_cast<std::size_t>(n));
  }
  std::istringstream lines(request);
  std::string method, target, version, line;
  lines >> method >> target >> version;
  std::getline(lines, line);
  std::string host;
  bool has_origin = false;
  while (std::getline(lines, line) && line != "\r" && !line.empty()) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto name = lower(line.substr(0, colon));
    auto value = trim(line.substr(colon + 1));
    if (name == "host") host = value;
    if (name == "origin" || name == "referer") has_origin = true;
  }
  std::string forbidden;
  {
    std::lock_guard lock(mutex_);
    last_host_ = host;
    forbidden = forbidden_;
  }
  if ((!host.empty() && host != "local-tailscaled.sock") || has_origin) {
    send_all(client,
             response(403, "Forbidden", "text/plain; charset=utf-8", "invalid localapi request\n"));
    return;
  }
  if (!forbidden.empty()) {
    send_all(client, response(403, "Forbidden", "text/plain; charset=utf-8", forbidden + "\n"));
    return;
  }
  std::string path = target.substr(0, target.find('?'));
  if (method != "GET" || path != "/localapi/v0/status") {
    send_all(client, response(404, "Not Found", "text/plain; charset=utf-8", "not found\n"));
    return;
  }
  std::ifstream in(document_path_);
  std::ostringstream document;
  document << in.rdbuf();
  ++status_requests_;
  send_all(client, response(200, "OK", "application/json", document.str()));
}

}  // namespace constellation::testing
