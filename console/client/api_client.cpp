// Non-virtual helpers of ApiClient: status checks and error bodies, shared by every
// implementation so the real client and the fakes report errors the same way.
#include "console/client/api_client.hpp"

#include <cctype>

namespace constellation::console {
namespace {

ErrorCode code_for_status(int status) {
  switch (status) {
    case 400:
      return ErrorCode::invalid_argument;
    case 401:
    case 403:
      return ErrorCode::unauthorized;
    case 404:
      return ErrorCode::not_found;
    case 405:
      return ErrorCode::method_not_allowed;
    case 409:
      return ErrorCode::conflict;
    case 413:
      return ErrorCode::too_large;
    case 503:
      return ErrorCode::unavailable;
    case 504:
      return ErrorCode::timeout;
    default:
      return ErrorCode::internal;
  }
}

Result<nlohmann::json> body_if_ok(Result<HttpResponse> response) {
  if (!response) return std::unexpected(response.error());
  if (response->status < 200 || response->status > 299)
    return std::unexpected(error_from_response(*response));
  return std::move(response->body);
}

}  // namespace

Error error_from_response(const HttpResponse& response) {
  const auto& body = response.body;
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const auto& error = body["error"];
    std::string code = error.value("code", std::string{});
    std::string message = error.value("message", std::string{});
    if (!message.empty()) return Error{error_code_from_name(code), message};
  }
  std::string excerpt = response.text.substr(0, 200);
  while (!excerpt.empty() && (excerpt.back() == '\n' || excerpt.back() == '\r')) excerpt.pop_back();
  return Error{code_for_status(response.status),
               "the agent answered HTTP " + std::to_string(response.status) +
                   (excerpt.empty() ? std::string{} : ": " + excerpt)};
}

Result<nlohmann::json> ApiClient::get(std::string_view target) {
  return body_if_ok(send("GET", target, nullptr));
}

Result<nlohmann::json> ApiClient::post(std::string_view target, const nlohmann::json& body) {
  return body_if_ok(send("POST", target, &body));
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace constellation::console
