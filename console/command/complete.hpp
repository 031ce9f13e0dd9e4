// `constellation __complete WORDS...`: completion candidates for a partial command line,
// computed from the command table so bash completion never goes stale. Pure: words in,
// candidates out; completions/constellation.bash prints nothing of its own.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "console/command/command.hpp"

namespace constellation::console {

/// `words` are the words after the program name up to and including the one being completed
/// (possibly empty). Returns the candidates for that last word, in table order: command
/// names, sub-commands, flags (as "--name"), choice values, or command names after `help`.
/// Hidden commands are never offered. Nothing is offered for free-form values (file names
/// are left to the shell). Positional words of commands that name nodes or services get
/// `live_names(kind)` (the running agent's names), when given.
using LiveNames = std::function<std::vector<std::string>(NameKind)>;
std::vector<std::string> complete(std::span<const std::string> words,
                                  const LiveNames& live_names = {});

}  // namespace constellation::console
