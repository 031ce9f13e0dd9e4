// Line splitting for streamed engine responses; see line_splitter.hpp.
#include "agent/docker/line_splitter.hpp"

namespace constellation::docker {

namespace {
std::string_view clean(std::string_view line) {
  while (!line.empty() && (line.front() == '\x1e' || line.front() == '\r')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\x1e')) line.remove_suffix(1);
  return line;
}
}  // namespace

Status LineSplitter::feed(std::string_view fragment,
                          const std::function<void(std::string_view)>& on_line) {
  while (!fragment.empty()) {
    auto nl = fragment.find('\n');
    if (nl == std::string_view::npos) {
      pending_.append(fragment);
      break;
    }
    std::string_view line;
    if (pending_.empty()) {
      line = fragment.substr(0, nl);
    } else {
      pending_.append(fragment.substr(0, nl));
      line = pending_;
    }
    if (line.size() > max_line_) {
      pending_.clear();
      return fail(ErrorCode::too_large, "Docker stream line over " + std::to_string(max_line_) +
                                            " bytes; stream abandoned");
    }
    if (auto cleaned = clean(line); !cleaned.empty()) on_line(cleaned);
    pending_.clear();
    fragment.remove_prefix(nl + 1);
  }
  if (pending_.size() > max_line_) {
    pending_.clear();
    return fail(ErrorCode::too_large, "Docker stream line over " + std::to_string(max_line_) +
                                          " bytes; stream abandoned");
  }
  return {};
}

std::string LineSplitter::take_rest() {
  std::string rest(clean(pending_));
  pending_.clear();
  return rest;
}

}  // namespace constellation::docker
