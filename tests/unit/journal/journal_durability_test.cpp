// Durability: a separate process (journal_writer) appends and prints each committed id; the
// test kills it with SIGKILL mid-stream and checks that every printed id is in the journal.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

#include <gtest/gtest.h>

#include "agent/journal/journal.hpp"
#include "tests/unit/journal/builders.hpp"
#include "tests/unit/journal/temp_dir.hpp"

#ifndef JOURNAL_WRITER_PATH
#error "JOURNAL_WRITER_PATH must name the journal_writer executable"
#endif

namespace constellation::journal {
namespace {

using testing::Query;
using testing::TempDir;

TEST(JournalDurability, EveryIdCommittedBeforeKill9IsThereAfterReopen) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    ::execl(JOURNAL_WRITER_PATH, "journal_writer", path.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  FILE* out = ::fdopen(pipe_fds[0], "r");
  ASSERT_NE(out, nullptr);

  std::vector<std::int64_t> printed;
  long long id = 0;
  constexpr std::size_t kBeforeKill = 500;
  while (printed.size() < kBeforeKill && std::fscanf(out, "%lld", &id) == 1) printed.push_back(id);
  ::kill(pid, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "writer ended on its own before the kill";
  // Lines already in the pipe were committed before the kill too.
  while (std::fscanf(out, "%lld", &id) == 1) printed.push_back(id);
  std::fclose(out);
  ASSERT_GE(printed.size(), kBeforeKill);

  auto journal = Journal::open({.path = path});
  ASSERT_TRUE(journal) << journal.error().message;
  auto stats = (*journal)->stats();
  ASSERT_TRUE(stats);
  EXPECT_GE(stats->events, static_cast<std::int64_t>(printed.size()));
  for (std::int64_t expected : printed) {
    auto found = (*journal)->query(Query().after(expected - 1).limited(1));
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_FALSE(found->empty()) << "committed id " << expected << " lost";
    ASSERT_EQ(found->front().id, expected) << "committed id " << expected << " lost";
    EXPECT_EQ(found->front().kind, "test.durability");
  }
}

}  // namespace
}  // namespace constellation::journal
