// `constellation shell` as an operator uses it: the real binary on a real pty (forkpty)
// against a real agent. Commands run and print, `;` runs two, Tab completes a command and a
// live node name, history survives a restart of the shell, Ctrl-C stops `events --follow`
// and not the shell, a live event appears above the prompt while the half-typed line stays,
// and Ctrl-D leaves with exit status 0.
#include <sys/stat.h>

#include <algorithm>

#include <gtest/gtest.h>

#include "tests/harness/process.hpp"
#include "tests/harness/pty.hpp"

using namespace constellation::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPrompt = "constellation> ";

/// One shell session on a pty against `agent`, its history under `state_dir`.
class ShellSession {
 public:
  ShellSession(const Agent& agent, const std::string& state_dir,
               std::vector<std::string> extra = {})
      : pty_(arguments(agent, std::move(extra)),
             {{"TERM", "xterm"}, {"XDG_STATE_HOME", state_dir}, {"LANG", "C.UTF-8"}}) {}

  PtyProcess& pty() { return pty_; }
  /// How many prompts have been drawn so far.
  std::size_t prompts() {
    std::string text = pty_.text();
    std::size_t count = 0;
    for (std::size_t at = text.find(kPrompt); at != std::string::npos;
         at = text.find(kPrompt, at + 1))
      ++count;
    return count;
  }
  /// Waits until more than `seen` prompts have been drawn.
  bool prompt_after(std::size_t seen, std::chrono::milliseconds deadline = 20s) {
    return eventually([&] { return prompts() > seen; }, deadline);
  }
  /// Types `line` and Enter, then waits for the next prompt; true when it came.
  bool run(const std::string& line) {
    std::size_t seen = prompts();
    pty_.type(line + "\r");
    return prompt_after(seen);
  }
  /// Ctrl-D on an empty line; the exit code.
  std::optional<int> leave() {
    pty_.type("\x04");
    return pty_.wait(10s);
  }

 private:
  static std::vector<std::string> arguments(const Agent& agent, std::vector<std::string> extra) {
    std::vector<std::string> argv{binary_path(), "shell", "--agent", "unix:" + agent.socket()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  PtyProcess pty_;
};

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

}  // namespace

TEST(Shell, RunsACommandAndTwoSeparatedBySemicolonThenLeavesWithZeroOnCtrlD) {
  TempDir dir;
  Agent agent(dir, {.node = "alpha"});
  ShellSession shell(agent, dir.file("state"), {"--no-events"});
  ASSERT_TRUE(shell.prompt_after(0)) << shell.pty().text();

  ASSERT_TRUE(shell.run("version")) << shell.pty().text();
  EXPECT_NE(shell.pty().text().find("agent   0.1.0 (node alpha"), std::string::npos)
      << shell.pty().text();

  std::size_t before = shell.pty().text().size();
  ASSERT_TRUE(shell.run("status; nodes")) << shell.pty().text();
  std::string after = shell.pty().text().substr(before);
  auto status_at = after.find("SUBSYSTEM");
  auto nodes_at = after.find("alpha (this node)");
  ASSERT_NE(status_at, std::string::npos) << after;
  ASSERT_NE(nodes_at, std::string::npos) << after;
  EXPECT_LT(status_at, nodes_at) << "the commands run in the order typed";

  before = shell.pty().text().size();
  ASSERT_TRUE(shell.run("nods")) << shell.pty().text();
  EXPECT_NE(shell.pty().text().find("did you mean 'nodes'", before), std::string::npos)
      << shell.pty().text();

  EXPECT_EQ(shell.leave(), 0) << shell.pty().text();
}

TEST(Shell, TabCompletesACommandPrefixAndALiveNodeName) {
  TempDir dir;
  Agent agent(dir, {.node = "tabby-node"});
  ShellSession shell(agent, dir.file("state"), {"--no-events"});
  ASSERT_TRUE(shell.prompt_after(0)) << shell.pty().text();

  shell.pty().type("vers\t");
  ASSERT_TRUE(shell.pty().shows(std::string(kPrompt) + "version", 10s)) << shell.pty().text();
  ASSERT_TRUE(shell.run("")) << shell.pty().text();
  EXPECT_NE(shell.pty().text().find("client  0.1.0"), std::string::npos) << shell.pty().text();

  std::size_t before = shell.pty().text().size();
  shell.pty().type("node show tab\t");
  ASSERT_TRUE(shell.pty().shows("node show tabby-node", 10s, before)) << shell.pty().text();
  ASSERT_TRUE(shell.run("")) << shell.pty().text();
  EXPECT_NE(shell.pty().text().find("capabilities", before), std::string::npos)
      << "the completed line ran: " << shell.pty().text();
  EXPECT_EQ(shell.leave(), 0);
}

TEST(Shell, HistoryPersistsAcrossSessionsInAPrivateFileAndUpRecallsIt) {
  TempDir dir;
  Agent agent(dir, {.node = "alpha"});
  {
    ShellSession first(agent, dir.file("state"), {"--no-events"});
    ASSERT_TRUE(first.prompt_after(0)) << first.pty().text();
    ASSERT_TRUE(first.run("note remembered-line-77")) << first.pty().text();
    ASSERT_EQ(first.leave(), 0);
  }
  struct stat info {};
  ASSERT_EQ(::stat(dir.file("state/constellation/shell_history").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  ShellSession second(agent, dir.file("state"), {"--no-events"});
  ASSERT_TRUE(second.prompt_after(0)) << second.pty().text();
  second.pty().type("\x1b[A");  // Up
  ASSERT_TRUE(second.pty().shows("note remembered-line-77", 10s)) << second.pty().text();
  ASSERT_TRUE(second.run("")) << second.pty().text();
  auto events = run_cli({"--agent", agent.socket(), "events", "--kind", "note", "-o", "json"});
  EXPECT_EQ(count_of(events.out, "remembered-line-77"), 2u)
      << "the recalled line ran again: " << events.out;
  EXPECT_EQ(second.leave(), 0);
}

TEST(Shell, CtrlCStopsTheRunningCommandNotTheShellAndClearsATypedLine) {
  TempDir dir;
  Agent agent(dir, {.node = "alpha"});
  ShellSession shell(agent, dir.file("state"), {"--no-events"});
  ASSERT_TRUE(shell.prompt_after(0)) << shell.pty().text();

  std::size_t seen = shell.prompts();
  shell.pty().type("events --follow; note never-runs-after-ctrl-c\r");
  ASSERT_TRUE(shell.pty().shows("agent.started", 10s)) << shell.pty().text();
  shell.pty().type("\x03");
  ASSERT_TRUE(shell.prompt_after(seen)) << "Ctrl-C returns to the prompt: " << shell.pty().text();

  // Ctrl-C at the prompt drops the typed text; the shell still runs commands.
  seen = shell.prompts();
  shell.pty().type("garbage-typed-then-dropped");
  ASSERT_TRUE(shell.pty().shows("garbage-typed-then-dropped", 10s)) << shell.pty().text();
  shell.pty().type("\x03");
  ASSERT_TRUE(shell.prompt_after(seen)) << shell.pty().text();
  std::size_t before = shell.pty().text().size();
  ASSERT_TRUE(shell.run("version")) << shell.pty().text();
  std::string after = shell.pty().text().substr(before);
  EXPECT_NE(after.find("agent   0.1.0"), std::string::npos) << after;
  EXPECT_EQ(after.find("garbage"), std::string::npos) << after;

  auto events = run_cli({"--agent", agent.socket(), "events", "--kind", "note", "-o", "json"});
  EXPECT_EQ(events.out.find("never-runs-after-ctrl-c"), std::string::npos)
      << "Ctrl-C cancels the rest of the line: " << events.out << shell.pty().text();
  EXPECT_EQ(shell.leave(), 0);
}

TEST(Shell, ALiveEventAppearsAboveThePromptAndTheHalfTypedLineSurvives) {
  TempDir dir;
  Agent agent(dir, {.node = "alpha"});
  ShellSession shell(agent, dir.file("state"));
  ASSERT_TRUE(shell.prompt_after(0)) << shell.pty().text();
  // The agent counts the shell's /ws subscription once it is up.
  ASSERT_TRUE(eventually([&] {
    auto status = run_cli({"--agent", agent.socket(), "status", "-o", "json"});
    return status.out.find("\"ws_clients\": 1") != std::string::npos;
  })) << run_cli({"--agent", agent.socket(), "status"}).out;

  shell.pty().type("vers");
  ASSERT_TRUE(shell.pty().shows(std::string(kPrompt) + "vers", 10s)) << shell.pty().text();
  std::size_t before = shell.pty().text().size();
  auto note = run_cli({"--agent", agent.socket(), "note", "shell-live-note-5"});
  ASSERT_EQ(note.exit_code, 0) << note.err;
  ASSERT_TRUE(shell.pty().shows("shell-live-note-5", 20s, before)) << shell.pty().text();
  auto note_at = shell.pty().text().find("shell-live-note-5", before);
  EXPECT_TRUE(shell.pty().shows(std::string(kPrompt) + "vers", 10s, note_at))
      << "the prompt and the typed text are redrawn below the event: "
      << shell.pty().text().substr(before);
  std::string text = shell.pty().text();

  // Finishing the line runs "version": the typed half was kept in the line buffer.
  before = text.size();
  ASSERT_TRUE(shell.run("ion")) << shell.pty().text();
  EXPECT_NE(shell.pty().text().find("agent   0.1.0", before), std::string::npos)
      << shell.pty().text();
  EXPECT_EQ(shell.leave(), 0);
}

TEST(Shell, WithoutATerminalRunsEachInputLineAndReturnsTheLastExitCode) {
  TempDir dir;
  Agent agent(dir, {.node = "alpha"});
  auto ok = run_command({"/bin/sh", "-c",
                         "printf 'status; nodes\\nversion\\n' | " + binary_path() +
                             " shell --agent unix:" + agent.socket()});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("SUBSYSTEM"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("alpha (this node)"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("client  0.1.0"), std::string::npos) << ok.out;

  auto bad = run_command({"/bin/sh", "-c",
                          "printf 'version\\nnode show nosuchnode\\n' | " + binary_path() +
                              " shell --agent unix:" + agent.socket()});
  EXPECT_NE(bad.exit_code, 0) << bad.out;
  EXPECT_NE(bad.err.find("nosuchnode"), std::string::npos) << bad.err;
}
