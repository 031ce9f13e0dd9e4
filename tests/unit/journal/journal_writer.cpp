// Test helper for the kill -9 durability test: appends events to the journal at argv[1] in a
// loop and prints each id to stdout only after append() has committed it, flushing each line,
// so every id the test has read must still be in the journal after the process is killed.
#include <cstdio>

#include "agent/journal/journal.hpp"

int main(int argc, char** argv) {
  using namespace constellation;
  if (argc != 2) {
    std::fprintf(stderr, "usage: journal_writer JOURNAL_PATH\n");
    return 2;
  }
  auto journal = journal::Journal::open({.path = argv[1]});
  if (!journal) {
    std::fprintf(stderr, "journal_writer: %s\n", journal.error().message.c_str());
    return 1;
  }
  for (std::int64_t seq = 0;; ++seq) {
    auto id = (*journal)->append(Event{.node = "writer",
                                       .kind = "test.durability",
                                       .subject = "",
                                       .detail = {{"seq", seq}},
                                       .actor = "test"});
    if (!id) {
      std::fprintf(stderr, "journal_writer: %s\n", id.error().message.c_str());
      return 1;
    }
    std::printf("%lld\n", static_cast<long long>(*id));
    std::fflush(stdout);
  }
}
