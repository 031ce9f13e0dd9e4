// Offline recovery after permanent quorum loss: rewrite the configuration in a stopped node's
// raft directory with libraft's raft_recover, so that node (alone, or with the survivors it
// names) can elect a leader again. Last resort: it appends a configuration entry to the log
// on disk; see `constellation raft recover` in constellation(1) for the whole procedure.
//
// Threading: blocking, call from any thread while no agent uses the directory (the caller
// checks that; libraft has no lock of its own). Failure: a missing or empty directory,
// a bad voter list or a log libraft cannot load is an Error naming the directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "agent/consensus/log.hpp"
#include "shared/error.hpp"

namespace constellation::consensus {

/// Appends a configuration of exactly `voters` (every one a voter) to the log in `raft_dir`.
/// Run it once, on the survivor with the highest term and longest log.
Status recover_configuration(const std::filesystem::path& raft_dir,
                             const std::vector<Member>& voters);

/// recover_configuration with voters named as nodes {name, "host:port"}: raft ids are
/// raft_id_for(name), as every agent derives them. The console's `raft recover` uses this.
Status recover_named_voters(const std::string& raft_dir,
                            const std::vector<std::pair<std::string, std::string>>& voters);

}  // namespace constellation::consensus
