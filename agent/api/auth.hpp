// Who may call what: the unix socket (mode 0660) is trusted; over TCP every mutating route
// needs "Authorization: Bearer <token>" matching SECRETS_PATH/api-token, and a wrong token is
// refused on every route. Token comparison is constant-time. Loop thread only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/api/http_types.hpp"
#include "shared/error.hpp"

namespace constellation::api {

class Auth {
 public:
  /// `token` is the configured API token (nullopt: no token file); `token_path` is only
  /// used in messages telling the caller how to authenticate. The token is never logged.
  Auth(std::optional<std::string> token, std::string token_path);

  /// Ok, or unauthorized with a message saying how to authenticate.
  Status check(const Request& request, bool mutates) const;
  /// Replaces the token (after a reload).
  void set_token(std::optional<std::string> token) { token_ = std::move(token); }
  bool has_token() const { return token_.has_value(); }
  const std::string& token_path() const { return token_path_; }

 private:
  std::optional<std::string> token_;
  std::string token_path_;
};

/// Compares two secrets in time independent of where they differ (and of their lengths):
/// both are hashed with SHA-256 and the digests compared with CRYPTO_memcmp.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace constellation::api
