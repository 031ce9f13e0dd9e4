// docker exec: create, start attached (the whole output within the timeout), inspect for the
// exit code. See exec.hpp for the stream format.
#include "agent/docker/exec.hpp"

#include <algorithm>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "agent/docker/client.hpp"
#include "agent/docker/request.hpp"
#include "agent/docker/transport.hpp"

namespace constellation::docker {

Status demux_stdcopy(std::string_view stream, ExecResult& result) {
  std::size_t at = 0;
  while (at < stream.size()) {
    if (stream.size() - at < 8)
      return fail(ErrorCode::invalid_argument,
                  "exec output: truncated frame header at byte " + std::to_string(at));
    const auto kind = static_cast<unsigned char>(stream[at]);
    std::size_t length = 0;
    for (int i = 4; i < 8; ++i)
      length = (length << 8) | static_cast<unsigned char>(stream[at + static_cast<std::size_t>(i)]);
    at += 8;
    if (stream.size() - at < length)
      return fail(ErrorCode::invalid_argument, "exec output: frame at byte " +
                                                   std::to_string(at - 8) + " announces " +
                                                   std::to_string(length) + " bytes, " +
                                                   std::to_string(stream.size() - at) + " remain");
    if (kind == 1 || kind == 0)
      result.out.append(stream.substr(at, length));
    else if (kind == 2)
      result.err.append(stream.substr(at, length));
    else
      return fail(ErrorCode::invalid_argument, "exec output: unknown stream " +
                                                   std::to_string(kind) + " at byte " +
                                                   std::to_string(at - 8));
    at += length;
  }
  return {};
}

Result<ExecResult> DockerClient::exec(std::string_view container,
                                      const std::vector<std::string>& cmd,
                                      std::chrono::milliseconds timeout) {
  auto v = ensure_version();
  if (!v) return std::unexpected(v.error());
  auto created = call(requests::exec_create(*v, container, cmd), timeouts_.request);
  if (!created) return std::unexpected(created.error());
  const auto body = nlohmann::json::parse(created->body, nullptr, false);
  if (!body.is_object() || !body.contains("Id") || !body["Id"].is_string())
    return fail(ErrorCode::internal,
                "exec in " + std::string(container) + ": the engine answered without an exec id");
  const std::string id = body["Id"];
  auto started = call(requests::exec_start(*v, id), timeout);
  if (!started) return std::unexpected(started.error());
  ExecResult result;
  if (auto split = demux_stdcopy(started->body, result); !split)
    return std::unexpected(split.error());
  auto inspected = call(requests::exec_inspect(*v, id), timeouts_.request);
  if (!inspected) return std::unexpected(inspected.error());
  const auto info = nlohmann::json::parse(inspected->body, nullptr, false);
  if (info.is_object() && info.contains("ExitCode") && info["ExitCode"].is_number_integer())
    result.exit_code = info["ExitCode"].get<int>();
  return result;
}

// wget's own -T is avoided: Debian 12's static busybox 1.35 crashes with it.
std::vector<std::string> fetch_command(const std::string& url, std::chrono::milliseconds timeout) {
  const auto seconds = std::to_string(std::max<std::int64_t>(1, (timeout.count() + 999) / 1000));
  return {"sh",
          "-c",
          "if command -v curl >/dev/null 2>&1; then exec curl -fsS --max-time \"$1\" \"$2\"; "
          "elif command -v timeout >/dev/null 2>&1; then exec timeout \"$1\" wget -q -O - \"$2\"; "
          "else exec wget -q -O - \"$2\"; fi",
          "fetch",
          seconds,
          url};
}

Result<std::string> fetch_in_container(DockerClient& client, const std::string& container,
                                       const std::string& url, std::chrono::milliseconds timeout) {
  // The engine's own answer may lag the tool's timeout a little: allow a second more.
  auto ran = client.exec(container, fetch_command(url, timeout), timeout + std::chrono::seconds(1));
  if (!ran) return std::unexpected(ran.error());
  if (ran->exit_code != 0) {
    std::string why = ran->err.empty() ? ran->out : ran->err;
    while (!why.empty() && (why.back() == '\n' || why.back() == '\r')) why.pop_back();
    if (why.size() > 300) why.resize(300);
    return fail(ErrorCode::unavailable, "fetching " + url + " inside container " + container +
                                            " failed (exit " + std::to_string(ran->exit_code) +
                                            (why.empty() ? ")" : "): " + why));
  }
  return std::move(ran->out);
}

}  // namespace constellation::docker
