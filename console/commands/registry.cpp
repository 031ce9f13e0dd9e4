// THE command table: every console command in the order `help` lists them. Parsing, help,
// `__complete`, bash completion and the man-page test all read this list.
#include <array>

#include "console/command/table.hpp"
#include "console/commands/commands.hpp"

namespace constellation::console {

std::span<const CommandSpec* const> command_table() {
  // One row per line (clang-format off) so branches adding commands merge line by line.
  // clang-format off
  static const std::array<const CommandSpec*, 32> kTable = {
      &commands::kVersion,
      &commands::kStatus,
      &commands::kConsole,
      &commands::kShell,
      &commands::kEvents,
      &commands::kNote,
      &commands::kReload,
      &commands::kNodes,
      &commands::kNodeShow,
      &commands::kMembers,
      &commands::kServices,
      &commands::kServiceShow,
      &commands::kContainers,
      &commands::kRestart,
      &commands::kJoin,
      &commands::kLeave,
      &commands::kForceLeave,
      &commands::kRaftStatus,
      &commands::kRaftTransferLeader,
      &commands::kRaftRecover,
      &commands::kLeases,
      &commands::kLeaseShow,
      &commands::kCordon,
      &commands::kUncordon,
      &commands::kKeygen,
      &commands::kConfigShow,
      &commands::kConfigCheck,
      &commands::kDoctor,
      &commands::kHelp,
      &commands::kAgent,
      &commands::kDemo,
      &commands::kComplete,
  };
  // clang-format on
  return kTable;
}

}  // namespace constellation::console
