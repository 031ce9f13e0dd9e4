// The consensus rows of the API's route table (raft leader and transfer, one lease, cordon
// and uncordon), built over the same HandlerDeps as the rest of the table.
#pragma once

#include <memory>
#include <vector>

#include "agent/api/handlers.hpp"

namespace constellation::api {

/// GET /api/v1/raft/leader, POST /api/v1/raft/transfer, GET /api/v1/leases/{name},
/// POST /api/v1/nodes/{node}/cordon and /uncordon. Each answers 503 when its ApiContext hook
/// is unset (raft off); mutating rows need the bearer token over TCP.
std::vector<Route> consensus_routes(std::shared_ptr<const HandlerDeps> deps);

}  // namespace constellation::api
