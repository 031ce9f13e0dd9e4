// Error code names and their mapping to HTTP statuses and exit codes.
#include "shared/error.hpp"

#include <array>
#include <utility>

namespace constellation {
namespace {
struct CodeRow {
  ErrorCode code;
  std::string_view name;
  int http;
  int exit;
};
constexpr std::array kCodes{
    CodeRow{ErrorCode::invalid_argument, "invalid_argument", 400, exit_codes::usage},
    CodeRow{ErrorCode::unauthorized, "unauthorized", 401, exit_codes::failed},
    CodeRow{ErrorCode::not_found, "not_found", 404, exit_codes::failed},
    CodeRow{ErrorCode::method_not_allowed, "method_not_allowed", 405, exit_codes::failed},
    CodeRow{ErrorCode::conflict, "conflict", 409, exit_codes::failed},
    CodeRow{ErrorCode::too_large, "too_large", 413, exit_codes::failed},
    CodeRow{ErrorCode::unavailable, "unavailable", 503, exit_codes::unavailable},
    CodeRow{ErrorCode::timeout, "timeout", 504, exit_codes::failed},
    CodeRow{ErrorCode::bad_config, "bad_config", 500, exit_codes::config},
    CodeRow{ErrorCode::internal, "internal", 500, exit_codes::failed},
};

const CodeRow& row(ErrorCode code) {
  for (const auto& r : kCodes)
    if (r.code == code) return r;
  return kCodes.back();
}
}  // namespace

std::string_view error_code_name(ErrorCode code) {
  return row(code).name;
}
int http_status(ErrorCode code) {
  return row(code).http;
}
int exit_code(ErrorCode code) {
  return row(code).exit;
}

ErrorCode error_code_from_name(std::string_view name) {
  for (const auto& r : kCodes)
    if (r.name == name) return r.code;
  return ErrorCode::internal;
}

}  // namespace constellation
