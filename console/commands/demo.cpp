// `constellation demo [--nodes N]`: a local cluster on loopback for trying the product. The
// row only documents the flag; console/cli/demo.cpp (run_demo) parses and validates it.
#include <array>

#include "console/cli/demo.hpp"
#include "console/command/context.hpp"
#include "console/commands/commands.hpp"

namespace constellation::console::commands {
namespace {

constexpr std::array kFlags = {
    FlagSpec{.name = "nodes",
             .type = FlagType::integer,
             .value_name = "N",
             .help = "how many agents to start (default 3)"},
};

int exec_demo(Context&, const ParsedArgs& args) {
  return run_demo(args.positional);
}

}  // namespace

const CommandSpec kDemo{
    .name = "demo",
    .summary = "start a local cluster of agents on loopback and show it (Ctrl-C stops it)",
    .flags = kFlags,
    .mode = ArgsMode::passthrough,
    .examples = "constellation demo\nconstellation demo --nodes 5",
    .exec = exec_demo,
};

}  // namespace constellation::console::commands
