// The shell's line grammar: `;` separates commands, words are split on blanks, and quotes
// ('...' literal, "..." with \" and \\) and backslash escapes keep blanks and `;` inside a
// word. Pure functions so the grammar is unit-tested apart from readline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shared/error.hpp"

namespace constellation::console::shell {

/// The words of one command.
using CommandWords = std::vector<std::string>;

/// Splits a typed line into commands and their words. Empty commands (`;;`, a trailing `;`,
/// a blank line) are dropped. Errors: invalid_argument for an unterminated quote or a trailing
/// backslash, naming what to close.
Result<std::vector<CommandWords>> split_command_line(std::string_view line);

/// For completion: the complete words of the last command in `text` (the line up to the start
/// of the word being completed). Never fails: an unterminated quote ends the last word.
CommandWords words_of_last_command(std::string_view text);

}  // namespace constellation::console::shell
