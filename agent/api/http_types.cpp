// Target parsing, percent-decoding and the JSON response helpers shared by every handler.
#include "agent/api/http_types.hpp"

namespace constellation::api {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes %XX escapes (and '+' as space in query components).
Result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
      int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0)
        return fail(ErrorCode::invalid_argument, "bad percent-escape in '" +
                                                     std::string(text.substr(0, 200)) +
                                                     "' (use %XX with two hex digits)");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

Response json_response(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response error_response(const Error& error) {
  return json_response(
      http_status(error.code),
      {{"error",
        {{"code", std::string(error_code_name(error.code))}, {"message", error.message}}}});
}

Status parse_target(std::string_view target, Request& request) {
  if (target.empty() || target.front() != '/')
    return fail(ErrorCode::invalid_argument, "request target '" +
                                                 std::string(target.substr(0, 200)) +
                                                 "' must be a path starting with '/'");
  std::string_view raw_path = target;
  std::string_view raw_query;
  if (auto q = target.find('?'); q != std::string_view::npos) {
    raw_path = target.substr(0, q);
    raw_query = target.substr(q + 1);
  }
  if (auto hash = raw_query.find('#'); hash != std::string_view::npos)
    raw_query = raw_query.substr(0, hash);
  auto path = percent_decode(raw_path, false);
  if (!path) return std::unexpected(path.error());
  request.path = std::move(*path);
  request.query.clear();
  while (!raw_query.empty()) {
    auto amp = raw_query.find('&');
    std::string_view pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view{} : raw_query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    if (!key) return std::unexpected(key.error());
    auto value = percent_decode(
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!value) return std::unexpected(value.error());
    if (!request.query.emplace(*key, *value).second)
      return fail(ErrorCode::invalid_argument,
                  "query parameter '" + *key + "' is given more than once; give it once");
  }
  return {};
}

Result<nlohmann::json> parse_json_body(std::string_view body) {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() starts with "[json.exception.parse_error.101] "; keep only the readable part.
    std::string what = e.what();
    if (auto bracket = what.find("] "); bracket != std::string::npos) what.erase(0, bracket + 2);
    return fail(ErrorCode::invalid_argument,
                "request body is not valid JSON: " + what + " (send a JSON object)");
  }
}

std::string actor_of(const Request& request) {
  if (request.peer == PeerKind::unix_socket) return "api:unix";
  return "api:tcp:" + request.peer_address;
}

}  // namespace constellation::api
