// Sans-IO decoding of engine responses into types.hpp values, and of engine error bodies
// ({"message": …}) into Error values with the operation and HTTP status named. JSON type
// surprises become invalid_argument errors; nothing throws out of these functions.
#pragma once

#include <string_view>
#include <vector>

#include "agent/docker/types.hpp"
#include "shared/error.hpp"

namespace constellation::docker {

Result<std::vector<ContainerSummary>> decode_container_list(std::string_view body);
Result<ContainerInfo> decode_container_inspect(std::string_view body);
Result<std::vector<NetworkInfo>> decode_network_list(std::string_view body);
Result<NetworkInfo> decode_network(std::string_view body);
/// The Id of a create response ({"Id": …}).
Result<std::string> decode_created_id(std::string_view body);
/// One line of the events stream.
Result<Event> decode_event(std::string_view line);

/// An engine error response as an Error: 400 invalid_argument, 401 unauthorized,
/// 404 not_found, 403/409 conflict, 503 unavailable, other statuses internal. The message names
/// the operation and carries the engine's own message.
Error engine_error(std::string_view operation, int http_status, std::string_view body);

}  // namespace constellation::docker
