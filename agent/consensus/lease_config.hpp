// The lease and initial-voter options as typed values: "lb-leader:lb:1200ms" entries become
// LeaseSpecs, "alpha=10.0.0.1:8300" entries become initial voters. Config validation and the
// agent both parse through here, so an entry means the same thing at check and at run time.
//
// Pure functions; errors are bad_config naming the entry, what is wrong and the expected form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/consensus/lease_logic.hpp"
#include "shared/error.hpp"

namespace constellation::consensus {

/// Parses one NAME:CAPABILITY:TTL entry (capability may be empty: any node).
Result<LeaseSpec> parse_lease_entry(std::string_view entry);
/// Parses every entry; a name given twice is an error.
Result<std::vector<LeaseSpec>> parse_lease_entries(const std::vector<std::string>& entries);
/// The drift margin a holder uses for a lease of `ttl_ms`: `configured_ms`, or a tenth of
/// the TTL when it is 0.
std::int64_t drift_margin_for(std::int64_t ttl_ms, std::int64_t configured_ms);
/// Parses the lease entries and checks every lease's timing with validate_timing.
Result<std::vector<LeaseSpec>> lease_specs(const std::vector<std::string>& entries,
                                           std::int64_t drift_margin_ms);

/// One voter of a new cluster's first configuration.
struct InitialVoter {
  std::string node{};
  std::string address{};  ///< "host:port" of its raft listener
};
/// Parses NODE=HOST:PORT entries; names and addresses must be unique, and when `self` is not
/// empty it must be one of the nodes (every member of a new cluster passes the same list).
Result<std::vector<InitialVoter>> parse_initial_voters(const std::vector<std::string>& entries,
                                                       std::string_view self);

}  // namespace constellation::consensus
