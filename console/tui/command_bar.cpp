// The command bar's editing (see command_bar.hpp). Word boundaries for completion come from
// the shell's own line grammar, so `:` lines and shell lines complete alike.
#include "console/tui/command_bar.hpp"

#include <algorithm>

#include "console/shell/line_split.hpp"
#include "console/tui/keymap.hpp"

namespace constellation::console::tui {
namespace {

std::string common_prefix(const std::vector<std::string>& words) {
  if (words.empty()) return {};
  std::string prefix = words.front();
  for (const std::string& word : words) {
    std::size_t n = 0;
    while (n < prefix.size() && n < word.size() && prefix[n] == word[n]) ++n;
    prefix.resize(n);
  }
  return prefix;
}

void complete_last_word(CommandBar& bar, const CompleteFn& complete) {
  bar.candidates.clear();
  if (!complete) return;
  std::size_t start = bar.text.find_last_of(" \t;");
  start = start == std::string::npos ? 0 : start + 1;
  std::string partial = bar.text.substr(start);
  std::vector<std::string> words = shell::words_of_last_command(bar.text.substr(0, start));
  words.push_back(partial);
  std::vector<std::string> candidates = complete(words);
  if (candidates.empty()) return;
  if (candidates.size() == 1) {
    bar.text = bar.text.substr(0, start) + candidates.front() + " ";
    return;
  }
  std::string prefix = common_prefix(candidates);
  if (prefix.size() > partial.size()) bar.text = bar.text.substr(0, start) + prefix;
  bar.candidates = std::move(candidates);
}

void recall(CommandBar& bar, int step) {
  if (bar.history.empty()) return;
  const int last = static_cast<int>(bar.history.size()) - 1;
  int next = 0;
  if (step < 0) {
    next = bar.recalled < 0 ? last : std::max(0, bar.recalled - 1);
  } else {
    if (bar.recalled < 0) return;
    next = bar.recalled + 1;
    if (next > last) {  // past the newest: back to an empty line, as readline does
      bar.recalled = -1;
      bar.text.clear();
      return;
    }
  }
  bar.recalled = next;
  bar.text = bar.history[static_cast<std::size_t>(next)];
}

}  // namespace

std::optional<std::string> bar_refuses(const std::vector<std::string>& words) {
  if (words.empty()) return std::nullopt;
  for (const char* whole_terminal : {"console", "shell", "agent", "demo"})
    if (words.front() == whole_terminal)
      return "`" + words.front() + "` takes the whole terminal: run it outside the console";
  if (std::find(words.begin(), words.end(), "--follow") != words.end())
    return std::string("--follow never ends here: the Events screen (5) is already live");
  return std::nullopt;
}

void open_bar(CommandBar& bar) {
  bar.open = true;
  bar.text.clear();
  bar.recalled = -1;
  bar.candidates.clear();
}

BarOutcome bar_key(CommandBar& bar, int key, const CompleteFn& complete) {
  if (key == keys::escape || key == keys::ctrl_c) {
    bar.open = false;
    bar.candidates.clear();
    return {.kind = BarOutcome::Kind::closed};
  }
  if (key == keys::enter || key == '\r') {
    std::string line = bar.text;
    line.erase(line.find_last_not_of(" \t") + 1);  // completion leaves a trailing space
    bar.open = false;
    bar.candidates.clear();
    if (line.find_first_not_of(" \t") == std::string::npos)
      return {.kind = BarOutcome::Kind::closed};
    if (bar.history.empty() || bar.history.back() != line) bar.history.push_back(line);
    if (bar.history.size() > kBarHistory)
      bar.history.erase(
          bar.history.begin(),
          bar.history.begin() + static_cast<std::ptrdiff_t>(bar.history.size() - kBarHistory));
    return {.kind = BarOutcome::Kind::run, .line = line};
  }
  if (key == keys::tab) {
    complete_last_word(bar, complete);
    return {};
  }
  if (key == keys::up || key == keys::down) {
    recall(bar, key == keys::up ? -1 : 1);
    return {};
  }
  if (key == keys::backspace || key == 8) {
    if (!bar.text.empty()) bar.text.pop_back();
    return {};
  }
  if (key >= 0x20 && key < 0x7f) bar.text += static_cast<char>(key);
  return {};
}

}  // namespace constellation::console::tui
