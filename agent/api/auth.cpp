// Bearer-token checks for TCP requests, with messages that say how to authenticate.
#include "agent/api/auth.hpp"

#include <array>

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace constellation::api {
namespace {

std::array<unsigned char, SHA256_DIGEST_LENGTH> sha256(std::string_view text) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return digest;
}

/// The token of "Bearer <token>" (scheme case-insensitive), nullopt for any other shape.
std::optional<std::string_view> bearer_token(std::string_view header) {
  constexpr std::string_view scheme = "bearer ";
  if (header.size() <= scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    char c = header[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != scheme[i]) return std::nullopt;
  }
  std::string_view token = header.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace

bool constant_time_equal(std::string_view a, std::string_view b) {
  auto da = sha256(a);
  auto db = sha256(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

Auth::Auth(std::optional<std::string> token, std::string token_path)
    : token_(std::move(token)), token_path_(std::move(token_path)) {}

Status Auth::check(const Request& request, bool mutates) const {
  if (request.peer == PeerKind::unix_socket) return {};
  const std::string how = "send 'Authorization: Bearer <token>' with the token from " +
                          token_path_ + ", or use the agent's unix socket";
  if (!request.authorization.empty()) {
    auto presented = bearer_token(request.authorization);
    if (!presented)
      return fail(ErrorCode::unauthorized,
                  "the Authorization header is not of the form 'Bearer <token>'; " + how);
    if (!token_)
      return fail(ErrorCode::unauthorized,
                  "a bearer token was sent but this agent has no API token (" + token_path_ +
                      " does not exist); create it (mode 0600) and restart the agent, or use "
                      "the unix socket");
    if (!constant_time_equal(*presented, *token_))
      return fail(ErrorCode::unauthorized, "the bearer token is wrong; " + how);
    return {};
  }
  if (!mutates) return {};
  if (!token_)
    return fail(ErrorCode::unauthorized,
                "this route changes state and over TCP needs a bearer token, but the agent has "
                "no API token: create " +
                    token_path_ + " (mode 0600) and restart the agent, or use the unix socket");
  return fail(ErrorCode::unauthorized, "this route changes state and needs a bearer token; " + how);
}

}  // namespace constellation::api
