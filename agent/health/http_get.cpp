// http_get (http_get.hpp) over libcurl's easy interface.
#include "agent/health/http_get.hpp"

#include <curl/curl.h>

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

Result<std::string> http_get(const std::string& url, std::chrono::milliseconds timeout) {
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
  if (status < 200 || status >= 300)
    return fail(ErrorCode::internal, url + " answered HTTP " + std::to_string(status));
  return body;
}

}  // namespace constellation::health
