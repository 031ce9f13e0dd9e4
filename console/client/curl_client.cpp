// libcurl implementation of ApiClient::send. One easy handle per request keeps the client
// simple; console commands make one or two requests each.
#include "console/client/curl_client.hpp"

#include <cstring>

#include <curl/curl.h>

#include "agent/config/config.hpp"
#include "console/client/address.hpp"
#include "console/client/ws_client.hpp"

namespace constellation::console {
namespace {

constexpr long kConnectTimeoutMs = 2000;
constexpr long kTotalTimeoutMs = 10000;

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

class CurlApiClient final : public ApiClient {
 public:
  CurlApiClient(AgentAddress address, std::optional<std::string> token)
      : address_(std::move(address)), token_(std::move(token)) {}

  Result<HttpResponse> send(std::string_view method, std::string_view target,
                            const nlohmann::json* body) override {
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return fail(ErrorCode::internal, "curl_easy_init failed");
    CURL* h = curl.get();
    std::string url = address_.base_url() + std::string(target);
    std::string method_text(method);
    std::string payload = body ? body->dump() : (method == "GET" ? "" : "{}");
    std::string received;
    char error_text[CURL_ERROR_SIZE] = {};

    curl_slist* raw_headers = curl_slist_append(nullptr, "Accept: application/json");
    if (method != "GET")
      raw_headers = curl_slist_append(raw_headers, "Content-Type: application/json");
    std::string auth;
    if (token_) {
      auth = "Authorization: Bearer " + *token_;
      raw_headers = curl_slist_append(raw_headers, auth.c_str());
    }
    std::unique_ptr<curl_slist, HeaderListDeleter> headers(raw_headers);

    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    if (address_.is_unix())
      curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, address_.socket_path.c_str());
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");  // an operator's http_proxy must not see this
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, kTotalTimeoutMs);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method_text.c_str());
    if (method != "GET") {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.c_str());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &received);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);

    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) return transport_error(h, rc, error_text);

    HttpResponse response;
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    response.body = nlohmann::json::parse(received, nullptr, /*allow_exceptions=*/false);
    if (response.body.is_discarded()) response.body = nullptr;
    response.text = std::move(received);
    return response;
  }

  Result<std::unique_ptr<EventStream>> subscribe() override {
    return open_event_stream(address_, token_);
  }

  std::string address() const override { return address_.text; }

 private:
  std::unexpected<Error> transport_error(CURL* h, CURLcode rc, const char* error_text) const {
    long os_errno = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
    curl_off_t connect_time = 0;
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_time);
    if (rc == CURLE_OPERATION_TIMEDOUT && connect_time > 0)
      return fail(ErrorCode::timeout, "the agent at " + address_.text + " did not answer within " +
                                          std::to_string(kTotalTimeoutMs / 1000) +
                                          " s (is it overloaded or stuck?)");
    std::string reason;
    if (address_.is_unix() && os_errno == ENOENT)
      reason = "no such socket " + address_.socket_path;
    else if (os_errno != 0)
      reason = std::strerror(static_cast<int>(os_errno));
    else if (rc == CURLE_OPERATION_TIMEDOUT)
      reason = "connection timed out";
    else
      reason = error_text[0] ? error_text : curl_easy_strerror(rc);
    return std::unexpected(agent_unreachable(address_.text, reason));
  }

  AgentAddress address_;
  std::optional<std::string> token_;
};

}  // namespace

Result<std::unique_ptr<ApiClient>> make_curl_client(const std::string& address,
                                                    const std::optional<std::string>& token_file) {
  // libcurl (and the TLS library under it) is initialised on first use only, so commands that
  // never talk to an agent, above all `constellation agent` itself, don't carry it in memory.
  static const CURLcode initialised = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (initialised != CURLE_OK)
    return fail(ErrorCode::internal,
                std::string("libcurl initialisation failed: ") + curl_easy_strerror(initialised));
  auto parsed = parse_agent_address(address);
  if (!parsed) return std::unexpected(parsed.error());
  std::optional<std::string> token;
  if (token_file && !parsed->is_unix()) {  // the unix socket is trusted; no token is sent
    auto secret = config::read_secret(*token_file);
    if (!secret) return std::unexpected(secret.error());
    token = std::move(*secret);
  }
  return std::make_unique<CurlApiClient>(std::move(*parsed), std::move(token));
}

}  // namespace constellation::console
