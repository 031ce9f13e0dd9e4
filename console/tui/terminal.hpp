// The thin ncurses front end: opens the terminal (raw keys, no echo, keypad, short Esc delay),
// paints a frame of Lines by rewriting only the lines that changed since the last paint
// (wnoutrefresh + doupdate, so nothing flickers), and reports keys in keymap.hpp's codes.
// Colour when the terminal has it and NO_COLOR is unset; otherwise reverse/bold/underline.
// The only file that includes curses.h.
#pragma once

#include <memory>
#include <vector>

#include "console/tui/view.hpp"
#include "shared/error.hpp"

namespace constellation::console::tui {

/// The terminal while the TUI runs; restores it (endwin) on destruction. One per process,
/// used from the UI loop only.
class Terminal {
 public:
  /// Starts curses on stdin/stdout. Errors: invalid_argument when they are not a terminal
  /// curses can drive (names TERM).
  static Result<std::unique_ptr<Terminal>> open();
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  int width() const;
  int height() const;
  bool utf8() const { return utf8_; }
  /// Paints `lines`; only lines that differ from the last paint are rewritten.
  void paint(const std::vector<Line>& lines);
  /// After a resize: forget what is on screen so the next paint redraws everything.
  void invalidate();
  /// The next key if one is waiting (non-blocking), in keymap.hpp's codes; -1 if none.
  int read_key();

 private:
  Terminal() = default;
  int attributes(Style style) const;

  bool colour_ = false;
  bool utf8_ = false;
  std::vector<Line> shown_;
};

}  // namespace constellation::console::tui
