// Placeholders for NodeAgent members other parts of issue 5 provide: leadership transfer
// (voter management) and the lease manager's configured leases and holder view. The API and
// console are built against these signatures; merging the real implementations replaces
// this file.
#include "agent/node_agent.hpp"

namespace constellation::agent {

nlohmann::json NodeAgent::lease_acting_json(const std::string&) const {
  return nullptr;
}

std::vector<consensus::LeaseSpec> NodeAgent::lease_specs() const {
  return {};
}

}  // namespace constellation::agent
