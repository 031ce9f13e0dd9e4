// Terminal: curses set-up, colour pairs, line-diff painting and key translation.
#include "console/tui/terminal.hpp"

#include <clocale>
#include <cstdlib>
#include <cstring>

#include <curses.h>
#include <langinfo.h>

#include "console/tui/keymap.hpp"

namespace constellation::console::tui {
namespace {

// Colour pair numbers, one per coloured Style.
enum Pair : short { kTitle = 1, kSelected, kBanner, kFooter, kGood, kWarn, kBad, kHeader };

}  // namespace

Result<std::unique_ptr<Terminal>> Terminal::open() {
  std::setlocale(LC_ALL, "");
  const char* codeset = ::nl_langinfo(CODESET);
  std::unique_ptr<Terminal> terminal(new Terminal());
  terminal->utf8_ = codeset != nullptr && std::strcmp(codeset, "UTF-8") == 0;
  const char* term = std::getenv("TERM");
  if (::newterm(nullptr, stdout, stdin) == nullptr)
    return fail(ErrorCode::invalid_argument,
                std::string("console: cannot drive this terminal (TERM=") + (term ? term : "") +
                    "); set TERM to a terminal type with a terminfo entry, e.g. xterm-256color");
  ::raw();
  ::noecho();
  ::nonl();
  ::keypad(stdscr, TRUE);
  ::nodelay(stdscr, TRUE);
  ::set_escdelay(25);
  ::curs_set(0);
  const char* no_colour = std::getenv("NO_COLOR");
  terminal->colour_ = ::has_colors() && (no_colour == nullptr || *no_colour == '\0');
  if (terminal->colour_) {
    ::start_color();
    ::use_default_colors();
    ::init_pair(kTitle, COLOR_BLACK, COLOR_CYAN);
    ::init_pair(kSelected, COLOR_BLACK, COLOR_WHITE);
    ::init_pair(kBanner, COLOR_WHITE, COLOR_RED);
    ::init_pair(kFooter, COLOR_BLACK, COLOR_CYAN);
    ::init_pair(kGood, COLOR_GREEN, -1);
    ::init_pair(kWarn, COLOR_YELLOW, -1);
    ::init_pair(kBad, COLOR_RED, -1);
    ::init_pair(kHeader, COLOR_CYAN, -1);
  }
  return terminal;
}

Terminal::~Terminal() {
  ::endwin();
}

int Terminal::width() const {
  return COLS;
}

int Terminal::height() const {
  return LINES;
}

int Terminal::attributes(Style style) const {
  if (!colour_) {
    switch (style) {
      case Style::title:
      case Style::selected:
      case Style::footer:
        return A_REVERSE;
      case Style::banner:
        return A_REVERSE | A_BOLD;
      case Style::header:
        return A_BOLD | A_UNDERLINE;
      case Style::bad:
        return A_BOLD;
      default:
        return A_NORMAL;
    }
  }
  switch (style) {
    case Style::title:
      return COLOR_PAIR(kTitle);
    case Style::selected:
      return COLOR_PAIR(kSelected) | A_BOLD;
    case Style::banner:
      return COLOR_PAIR(kBanner) | A_BOLD;
    case Style::footer:
      return COLOR_PAIR(kFooter);
    case Style::header:
      return COLOR_PAIR(kHeader) | A_BOLD;
    case Style::good:
      return COLOR_PAIR(kGood);
    case Style::warn:
      return COLOR_PAIR(kWarn) | A_BOLD;
    case Style::bad:
      return COLOR_PAIR(kBad) | A_BOLD;
    case Style::normal:
      return A_NORMAL;
  }
  return A_NORMAL;
}

void Terminal::paint(const std::vector<Line>& lines) {
  shown_.resize(lines.size());
  const int rows = std::min(static_cast<int>(lines.size()), LINES);
  for (int y = 0; y < rows; ++y) {
    const auto& line = lines[static_cast<std::size_t>(y)];
    if (line == shown_[static_cast<std::size_t>(y)]) continue;
    // Spans are in columns; the text is UTF-8, so walk it code point by code point.
    ::move(y, 0);
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.text.size() && static_cast<int>(column) < COLS;) {
      std::size_t length = 1;
      auto byte = static_cast<unsigned char>(line.text[i]);
      if (byte >= 0xF0)
        length = 4;
      else if (byte >= 0xE0)
        length = 3;
      else if (byte >= 0xC0)
        length = 2;
      Style style = line.style;
      for (const auto& span : line.spans)
        if (column >= span.start && column < span.start + span.length) style = span.style;
      ::attrset(attributes(style));
      // The last cell of the last line would scroll the screen; leave it.
      if (!(y == LINES - 1 && static_cast<int>(column) == COLS - 1))
        ::addnstr(line.text.data() + i, static_cast<int>(length));
      i += length;
      ++column;
    }
    ::attrset(A_NORMAL);
    if (static_cast<int>(column) < COLS) ::clrtoeol();
    shown_[static_cast<std::size_t>(y)] = line;
  }
  ::wnoutrefresh(stdscr);
  ::doupdate();
}

void Terminal::invalidate() {
  shown_.clear();
  ::clearok(stdscr, TRUE);
}

int Terminal::read_key() {
  int key = ::getch();
  switch (key) {
    case ERR:
      return -1;
    case KEY_UP:
      return keys::up;
    case KEY_DOWN:
      return keys::down;
    case KEY_HOME:
      return keys::home;
    case KEY_END:
      return keys::end;
    case KEY_BTAB:
      return keys::back_tab;
    case KEY_PPAGE:
      return keys::page_up;
    case KEY_NPAGE:
      return keys::page_down;
    case KEY_RESIZE:
      return keys::resize;
    case KEY_ENTER:
    case '\r':
      return keys::enter;
    case KEY_BACKSPACE:
      return keys::backspace;
    default:
      return key;
  }
}

}  // namespace constellation::console::tui
