// Shell completion over `__complete` (see completion.hpp). The hidden command is dispatched
// in-process into a string, so lease-name or any later completion added to it reaches the
// shell with no second copy of the logic.
#include "console/shell/completion.hpp"

#include <sstream>

#include "console/command/dispatch.hpp"
#include "console/shell/command_runner.hpp"

namespace constellation::console::shell {
namespace {

void add_matching(std::vector<std::string>& out, std::span<const std::string_view> words,
                  std::string_view prefix) {
  for (std::string_view word : words)
    if (word.starts_with(prefix)) out.emplace_back(word);
}

}  // namespace

std::vector<std::string> shell_candidates(const Context& shell, const CommandWords& words) {
  std::ostringstream out, err;
  Context context = command_context(shell, out, err);
  CommandWords request{"__complete"};
  request.insert(request.end(), words.begin(), words.end());
  if (words.empty()) request.emplace_back();
  dispatch(context, request);

  std::vector<std::string> candidates;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) candidates.push_back(line);
  const std::string partial = words.empty() ? std::string() : words.back();
  if (words.size() <= 1) add_matching(candidates, kBuiltinWords, partial);
  if (words.size() == 2 && words[0] == "events")
    add_matching(candidates, kEventsSwitchWords, partial);
  return candidates;
}

}  // namespace constellation::console::shell
