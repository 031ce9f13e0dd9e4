// http_get (http_get.hpp) over libcurl's easy interface.
#include "agent/health/http_get.hpp"

#include <curl/curl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <memory>
#include <mutex>

namespace constellation::health {
namespace {

constexpr std::size_t kMaxBody = 64 * 1024;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t bytes = size * count;
  if (body->size() + bytes > kMaxBody) return 0;  // aborts the transfer
  body->append(data, bytes);
  return bytes;
}

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};

}  // namespace

namespace {
struct Fetched {
  long status = 0;
  std::string body;
};

Result<Fetched> fetch(const std::string& url, std::chrono::milliseconds timeout) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
  if (!handle) return fail(ErrorCode::internal, "curl_easy_init failed");
  CURL* h = handle.get();
  std::string body;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "constellation");
  CURLcode code = curl_easy_perform(h);
  if (code == CURLE_OPERATION_TIMEDOUT)
    return fail(ErrorCode::timeout,
                url + " did not answer within " + std::to_string(timeout.count()) + " ms");
  if (code == CURLE_WRITE_ERROR)
    return fail(ErrorCode::invalid_argument, url + " sent more than 64 KiB");
  if (code != CURLE_OK)
    return fail(ErrorCode::unavailable, "cannot reach " + url + ": " + curl_easy_strerror(code));
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  return Fetched{status, std::move(body)};
}
}  // namespace

Result<std::string> http_get(const std::string& url, std::chrono::milliseconds timeout) {
  auto fetched = fetch(url, timeout);
  if (!fetched) return std::unexpected(fetched.error());
  if (fetched->status < 200 || fetched->status >= 300)
    return fail(ErrorCode::internal, url + " answered HTTP " + std::to_string(fetched->status));
  return std::move(fetched->body);
}

Result<int> http_status(const std::string& url, std::chrono::milliseconds timeout) {
  auto fetched = fetch(url, timeout);
  if (!fetched) return std::unexpected(fetched.error());
  return static_cast<int>(fetched->status);
}

Status tcp_connect(const std::string& host, int port, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string where = host + ":" + std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0)
    return fail(ErrorCode::unavailable, "cannot resolve " + host + ": " + ::gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, ::freeaddrinfo);
  std::string last = "no address";
  for (auto* ai = found; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
      if (rc == 0) {
        ::close(fd);
        return fail(ErrorCode::timeout,
                    where + " did not accept within " + std::to_string(timeout.count()) + " ms");
      }
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      rc = err == 0 ? 0 : -1;
      errno = err;
    }
    if (rc == 0) {
      ::close(fd);
      return {};
    }
    last = std::strerror(errno);
    ::close(fd);
  }
  return fail(ErrorCode::unavailable, "cannot connect to " + where + ": " + last);
}

}  // namespace constellation::health
