// libcurl transport for the Docker client; see transport.hpp. curl_global_init runs once
// per process; each request owns an easy handle and a header list, freed on every path.
#include "agent/docker/transport.hpp"

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>

#include <curl/curl.h>

#include "shared/strings.hpp"

namespace constellation::docker {

namespace {

struct CurlDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Transfer {
  CURL* handle = nullptr;
  const TransferOptions* options = nullptr;
  HttpResponse response;
  bool streaming = false;  // decided on the first body byte, from the status code
  bool status_known = false;
};

size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view chunk(data, size * count);
  if (!t->status_known) {
    long code = 0;
    curl_easy_getinfo(t->handle, CURLINFO_RESPONSE_CODE, &code);
    t->status_known = true;
    t->streaming = t->options->on_body && code >= 200 && code < 300;
  }
  if (t->streaming) {
    t->options->on_body(chunk);
  } else if (t->response.body.size() < (64u << 20)) {
    t->response.body.append(chunk);
  }
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(trim(line.substr(0, colon)));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto value = std::string(trim(line.substr(colon + 1)));
    if (name == "api-version") t->response.api_version = value;
    if (name == "server") t->response.server = value;
  }
  return size * count;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->options->stop.stop_requested() ? 1 : 0;
}

std::string seconds(std::chrono::milliseconds ms) {
  auto tenths = ms.count() / 100;
  return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "") +
         " s";
}

Error transport_error(const DockerHost& host, const Request& request,
                      const TransferOptions& options, CURLcode rc, long os_errno,
                      const char* detail) {
  const auto where = host.describe();
  const std::string why = *detail ? detail : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      if (os_errno == EACCES || os_errno == EPERM) {
        return Error{ErrorCode::unavailable,
                     "permission denied on the Docker socket " + where +
                         ": run the agent as root or add its user to the socket's group "
                         "(usually `docker`: usermod -aG docker USER, then log in again)"};
      }
      if (os_errno == ENOENT) {
        return Error{ErrorCode::unavailable, "cannot reach Docker at " + where +
                                                 ": no such socket (is dockerd running? is "
                                                 "DOCKER_HOST right?)"};
      }
      return Error{ErrorCode::unavailable, "cannot reach Docker at " + where + ": " + why};
    case CURLE_OPERATION_TIMEDOUT: {
      auto limit =
          options.total_timeout.count() > 0 ? options.total_timeout : options.connect_timeout;
      return Error{ErrorCode::timeout, "Docker at " + where + " did not answer " +
                                           request.describe() + " within " + seconds(limit)};
    }
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
      return Error{ErrorCode::unavailable, "connection to Docker at " + where + " lost during " +
                                               request.describe() + ": " + why};
    default:
      return Error{ErrorCode::unavailable, "request to Docker at " + where + " failed (" +
                                               request.describe() + "): " + why};
  }
}

}  // namespace

Result<HttpResponse> perform(const DockerHost& host, const Request& request,
                             const TransferOptions& options) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
  if (!handle) return fail(ErrorCode::internal, "curl_easy_init failed");
  CURL* h = handle.get();
  Transfer t;
  t.handle = h;
  t.options = &options;
  char errbuf[CURL_ERROR_SIZE] = {0};

  const std::string url = host.base_url() + request.target;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  if (host.is_unix()) curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, host.unix_socket.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);

  std::unique_ptr<curl_slist, CurlDeleter> headers;
  auto add_header = [&headers](const std::string& line) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  };
  add_header("Expect:");
  switch (request.method) {
    case Method::get:
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
      break;
    case Method::head:
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
      break;
    case Method::del:
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
      break;
    case Method::post:
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      // Explicit length, never chunked: the engine rejects start bodies of unknown length.
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      add_header("Content-Type: " + (request.content_type.empty() ? std::string("application/json")
                                                                  : request.content_type));
      break;
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

  CURLcode rc = curl_easy_perform(h);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  t.response.status = static_cast<int>(code);
  if (rc == CURLE_ABORTED_BY_CALLBACK && options.stop.stop_requested()) {
    t.response.cancelled = true;
    return std::move(t.response);
  }
  if (rc != CURLE_OK) {
    long os_errno = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
    return std::unexpected(transport_error(host, request, options, rc, os_errno, errbuf));
  }
  return std::move(t.response);
}

}  // namespace constellation::docker
