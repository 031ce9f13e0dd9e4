// Errors as values. Every fallible function in Constellation returns Result<T>
// (std::expected<T, Error>); no exception crosses a module boundary. The mapping of an
// error code to an HTTP status and to a process exit code lives here, once.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace constellation {

/// What kind of failure happened; decides the HTTP status and the exit code.
enum class ErrorCode {
  invalid_argument,    ///< bad input from the operator or a client (400, exit 2)
  unauthorized,        ///< missing or wrong credentials (401, exit 1)
  not_found,           ///< no such route, resource or file (404, exit 1)
  method_not_allowed,  ///< route exists, method does not (405, exit 1)
  conflict,            ///< request contradicts current state (409, exit 1)
  too_large,           ///< body or input over a limit (413, exit 1)
  unavailable,         ///< a dependency is down or not ready (503, exit 69)
  timeout,             ///< something took too long (504, exit 1)
  bad_config,          ///< configuration is invalid (500 over HTTP, exit 78)
  internal,            ///< a bug or an unexpected system failure (500, exit 1)
};

/// An error value: a machine-readable code and a message for the operator that says what
/// failed, with what input, and what to do about it.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

/// Shorthand for returning a failure: `return fail(ErrorCode::not_found, "no such node");`
inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

/// Stable snake_case name used in JSON error bodies ("not_found").
std::string_view error_code_name(ErrorCode code);
/// Inverse of error_code_name; unknown names map to internal.
ErrorCode error_code_from_name(std::string_view name);
/// HTTP status for an error code.
int http_status(ErrorCode code);
/// Process exit code for an error code (DESIGN §7: 0 ok, 1 failed, 2 usage, 69 unreachable,
/// 78 bad configuration).
int exit_code(ErrorCode code);

namespace exit_codes {
inline constexpr int ok = 0;
inline constexpr int failed = 1;
inline constexpr int usage = 2;
inline constexpr int unavailable = 69;
inline constexpr int config = 78;
}  // namespace exit_codes

}  // namespace constellation
