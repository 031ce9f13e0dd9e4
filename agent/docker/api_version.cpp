// Parsing and negotiation of Engine API versions; see api_version.hpp.
#include "agent/docker/api_version.hpp"

#include <charconv>

#include "shared/strings.hpp"

namespace constellation::docker {

std::string ApiVersion::str() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

namespace {
bool parse_int(std::string_view text, int& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && out >= 0;
}
}  // namespace

Result<ApiVersion> parse_api_version(std::string_view text) {
  auto trimmed = trim(text);
  auto dot = trimmed.find('.');
  ApiVersion v;
  if (dot == std::string_view::npos || !parse_int(trimmed.substr(0, dot), v.major) ||
      !parse_int(trimmed.substr(dot + 1), v.minor)) {
    return fail(ErrorCode::invalid_argument,
                "invalid Docker API version \"" + std::string(trimmed) + "\" (want e.g. 1.41)");
  }
  return v;
}

Result<ApiVersion> negotiate_api_version(std::string_view engine_header) {
  if (trim(engine_header).empty()) {
    return fail(ErrorCode::unavailable,
                "Docker engine did not send an Api-Version header on /_ping; cannot negotiate "
                "(constellation needs API " +
                    kClientMinVersion.str() + " or newer)");
  }
  auto engine = parse_api_version(engine_header);
  if (!engine) return std::unexpected(engine.error());
  if (*engine < kClientMinVersion) {
    return fail(ErrorCode::unavailable,
                "Docker engine API " + engine->str() + " is too old: constellation needs API " +
                    kClientMinVersion.str() + " or newer (Docker 20.10+); upgrade Docker");
  }
  return std::min(*engine, kClientMaxVersion);
}

}  // namespace constellation::docker
