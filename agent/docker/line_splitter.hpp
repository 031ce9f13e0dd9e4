// Sans-IO splitting of a streamed HTTP body (events, build progress) into lines: the
// transport hands over arbitrary fragments, this returns only complete lines. Not
// thread-safe; one splitter per stream.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "shared/error.hpp"

namespace constellation::docker {

/// Buffers fragments and yields complete lines without the terminator. '\r' and the RFC 7464
/// record separator (0x1E, from application/json-seq) are stripped; blank lines are skipped.
class LineSplitter {
 public:
  /// A line longer than max_line bytes is an error (a runaway or hostile stream).
  explicit LineSplitter(std::size_t max_line = 4u << 20) : max_line_(max_line) {}

  /// Appends a fragment and calls on_line for each line it completes, in order. Fails
  /// (too_large) when the pending partial line exceeds max_line; the splitter is then reset.
  Status feed(std::string_view fragment, const std::function<void(std::string_view)>& on_line);

  /// The unterminated tail, cleaned like a line (empty if none), and clears it. For the end
  /// of a stream whose last record lacks a newline.
  std::string take_rest();

 private:
  std::size_t max_line_;
  std::string pending_;
};

}  // namespace constellation::docker
