// Runs one command line against a Context: parse, apply the global flags and environment,
// show help or run the command. Shared by the one-shot CLI (cli.cpp) and, later, the shell
// and the TUI's command bar; writes only to the Context.
#pragma once

#include <span>
#include <string>

#include "console/command/context.hpp"

namespace constellation::console {

/// Environment variables the console reads.
inline constexpr std::string_view kAgentEnv = "CONSTELLATION_AGENT";
inline constexpr std::string_view kTokenFileEnv = "CONSTELLATION_TOKEN_FILE";

/// Parses `words` (the words after the program name) and runs the command. The agent address
/// is --agent, else $CONSTELLATION_AGENT, else the default; the token file likewise. Usage
/// errors print one line on context.err and return 2; no command prints the overview (exit 0
/// with --help, else on context.err with exit 2). Returns the process exit code.
int dispatch(Context& context, std::span<const std::string> words);

}  // namespace constellation::console
