// The shell's tokenizer (see line_split.hpp): one pass over the line, a small state machine
// over "outside a word", "in a word", "in single quotes" and "in double quotes".
#include "console/shell/line_split.hpp"

#include <optional>

namespace constellation::console::shell {
namespace {

struct Split {
  std::vector<CommandWords> commands;
  std::optional<char> open_quote;  ///< the quote left open at the end of the line
  bool trailing_backslash = false;
};

Split tokenize(std::string_view line) {
  Split split;
  CommandWords words;
  std::string word;
  bool in_word = false;  // a word has started, even if empty ("" is a word)
  auto end_word = [&] {
    if (in_word) words.push_back(std::move(word));
    word.clear();
    in_word = false;
  };
  auto end_command = [&] {
    end_word();
    if (!words.empty()) split.commands.push_back(std::move(words));
    words.clear();
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      end_word();
    } else if (c == ';') {
      end_command();
    } else if (c == '\\') {
      in_word = true;
      if (i + 1 == line.size()) {
        split.trailing_backslash = true;
        break;
      }
      word += line[++i];
    } else if (c == '\'' || c == '"') {
      in_word = true;
      std::size_t close = i + 1;
      for (; close < line.size() && line[close] != c; ++close) {
        if (c == '"' && line[close] == '\\' && close + 1 < line.size() &&
            (line[close + 1] == '"' || line[close + 1] == '\\'))
          ++close;
        word += line[close];
      }
      if (close == line.size()) {
        split.open_quote = c;
        break;
      }
      i = close;
    } else {
      in_word = true;
      word += c;
    }
  }
  end_command();
  return split;
}

}  // namespace

Result<std::vector<CommandWords>> split_command_line(std::string_view line) {
  Split split = tokenize(line);
  if (split.open_quote)
    return fail(ErrorCode::invalid_argument, std::string("unterminated ") + *split.open_quote +
                                                 " quote: close it with another " +
                                                 *split.open_quote);
  if (split.trailing_backslash)
    return fail(ErrorCode::invalid_argument,
                "the line ends with a backslash: escape it as \\\\ or remove it");
  return std::move(split.commands);
}

CommandWords words_of_last_command(std::string_view text) {
  // A ';' at the very end starts a new, empty command.
  std::size_t last = text.find_last_not_of(" \t");
  if (last != std::string_view::npos && text[last] == ';') {
    std::size_t backslashes = 0;
    while (backslashes < last && text[last - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 0 && !tokenize(text.substr(0, last)).open_quote) return {};
  }
  Split split = tokenize(text);
  if (split.commands.empty()) return {};
  return std::move(split.commands.back());
}

}  // namespace constellation::console::shell
