// The TUI as an operator sees it: the real binary in tmux (on a private tmux socket) against
// two real agents. The Nodes screen lists both, a note appears live on the Events screen,
// killing the agent shows the reconnect banner and its return clears it, a resize keeps the
// frame, and q quits with exit status 0.
#include <algorithm>
#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/harness/process.hpp"

using namespace constellation::testing;
using namespace std::chrono_literals;

namespace {

/// A tmux server of our own (-L NAME), killed on destruction; one session running `command`.
class Tmux {
 public:
  Tmux(const TempDir& dir, const std::string& command)
      : socket_("constellation-tui-" + std::to_string(::getpid()) + "-" +
                std::to_string(++servers_)) {
    // The tmux server inherits this environment; a UTF-8 locale lets the banner's dash show.
    auto result = run({"new-session", "-d", "-s", "tui", "-x", "100", "-y", "30", command},
                      {{"LANG", "C.UTF-8"}, {"TMUX_TMPDIR", dir.path()}});
    started_ = result.exit_code == 0;
    error_ = result.err;
    tmpdir_ = dir.path();
  }
  ~Tmux() { run({"kill-server"}); }

  bool started() const { return started_; }
  const std::string& error() const { return error_; }
  std::string screen() { return run({"capture-pane", "-p", "-t", "tui"}).out; }
  /// The pane with its attributes as SGR escape sequences.
  std::string styled_screen() { return run({"capture-pane", "-p", "-e", "-t", "tui"}).out; }
  void keys(const std::string& keys) { run({"send-keys", "-t", "tui", keys}); }
  void resize(int width, int height) {
    run({"resize-window", "-t", "tui", "-x", std::to_string(width), "-y", std::to_string(height)});
  }
  /// Polls the pane until it shows `text`.
  bool shows(const std::string& text, std::chrono::milliseconds deadline = 20s) {
    return eventually([&] { return screen().find(text) != std::string::npos; }, deadline);
  }

 private:
  CommandResult run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), {"/usr/bin/tmux", "-L", socket_});
    if (!tmpdir_.empty()) env["TMUX_TMPDIR"] = tmpdir_;
    return run_command(args, env, 10s);
  }

  static inline int servers_ = 0;  // a fresh server name each time: no race with the last one
  std::string socket_, error_, tmpdir_;
  bool started_ = false;
};

std::string seed_of(const Agent& agent) {
  return "127.0.0.1:" + std::to_string(agent.gossip_port().value_or(0));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST(Tui, ShowsNodesLiveEventsTheBannerAndRecoveryThenQuitsWithZero) {
  TempDir dir;
  Agent alpha(dir, {.node = "alpha"});
  Agent beta(dir, {.node = "beta", .extra_args = {"--join", seed_of(alpha)}});
  ASSERT_TRUE(eventually([&] {
    auto nodes = run_cli({"--agent", alpha.socket(), "nodes"});
    return nodes.out.find("beta") != std::string::npos;
  })) << "the two agents never met";

  const std::string exit_file = dir.file("tui.exit");
  Tmux tmux(dir, binary_path() + " console --agent unix:" + alpha.socket() + "; echo $? > " +
                     exit_file + "; sleep 60");
  ASSERT_TRUE(tmux.started()) << tmux.error();
  ASSERT_TRUE(tmux.shows("live from alpha")) << tmux.screen();

  tmux.keys("2");
  ASSERT_TRUE(eventually([&] {
    auto screen = tmux.screen();
    return screen.find("NAME") != std::string::npos && screen.find("alpha*") != std::string::npos &&
           screen.find("beta") != std::string::npos;
  })) << tmux.screen();
  EXPECT_NE(tmux.screen().find("2/2 nodes alive"), std::string::npos) << tmux.screen();

  tmux.keys("5");
  ASSERT_TRUE(tmux.shows("KIND")) << tmux.screen();
  auto note = run_cli({"--agent", alpha.socket(), "note", "tui-live-note-42"});
  ASSERT_EQ(note.exit_code, 0) << note.err;
  EXPECT_TRUE(tmux.shows("tui-live-note-42")) << tmux.screen();

  alpha.process().signal(SIGKILL);
  EXPECT_TRUE(tmux.shows("agent unreachable \u2014 reconnecting")) << tmux.screen();

  // The agent comes back on the same socket: the console reconnects and resyncs by itself.
  Agent again(dir, {.node = "alpha", .extra_args = {"--join", seed_of(beta)}});
  EXPECT_TRUE(eventually([&] {
    auto screen = tmux.screen();
    return screen.find("live from alpha") != std::string::npos &&
           screen.find("unreachable") == std::string::npos;
  })) << tmux.screen();
  EXPECT_TRUE(tmux.shows("tui-live-note-42")) << "the resync reloads the journal";

  // A smaller window keeps the frame: tab bar on top, key hints at the bottom line.
  tmux.resize(80, 24);
  EXPECT_TRUE(eventually([&] {
    auto screen = tmux.screen();
    auto last = screen.find_last_not_of('\n');
    auto footer = screen.rfind('\n', last);
    return screen.starts_with(" constellation ") &&
           screen.find("? help  q quit", footer == std::string::npos ? 0 : footer) !=
               std::string::npos &&
           std::count(screen.begin(), screen.end(), '\n') == 24;
  })) << tmux.screen();

  tmux.keys("q");
  ASSERT_TRUE(eventually([&] { return !read_file(exit_file).empty(); }, 20s)) << tmux.screen();
  EXPECT_EQ(read_file(exit_file), "0\n");
}

TEST(Tui, ConsoleWithoutATerminalSaysWhatToUseInstead) {
  auto result = run_cli({"console", "--agent", "unix:/nonexistent/agent.sock"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("needs a terminal"), std::string::npos) << result.err;
}

TEST(Tui, ShiftTabReachesTheRaftPlaceholderAndSigtermRestoresTheTerminalWithZero) {
  TempDir dir;
  Agent alpha(dir, {.node = "alpha"});
  const std::string pid_file = dir.file("tui.pid"), exit_file = dir.file("tui.exit");
  Tmux tmux(dir, "sh -c 'echo $$ > " + pid_file + "; exec " + binary_path() +
                     " console --agent unix:" + alpha.socket() + "'; echo $? > " + exit_file +
                     "; sleep 60");
  ASSERT_TRUE(tmux.started()) << tmux.error();
  ASSERT_TRUE(tmux.shows("live from alpha")) << tmux.screen();

  tmux.keys("BTab");
  tmux.keys("BTab");
  EXPECT_TRUE(tmux.shows("Leases & Raft: not available from this agent")) << tmux.screen();

  const int pid = std::atoi(read_file(pid_file).c_str());
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  ASSERT_TRUE(eventually([&] { return !read_file(exit_file).empty(); }, 20s)) << tmux.screen();
  EXPECT_EQ(read_file(exit_file), "0\n");
  EXPECT_EQ(tmux.screen().find("1 Overview"), std::string::npos)
      << "the TUI's screen is gone (curses ended):\n"
      << tmux.screen();
}

TEST(Tui, ColourUnlessNoColorIsSetThenReverseAndBoldOnly) {
  TempDir dir;
  Agent alpha(dir, {.node = "alpha"});
  // Any foreground or background colour in tmux's SGR output: 30-37, 40-47, 38;/48; (256).
  const std::regex colour("\x1b\\[[0-9;]*(3[0-7]|4[0-7]|38;5|48;5)[;m]");
  for (bool no_color : {false, true}) {
    Tmux tmux(dir, std::string(no_color ? "env NO_COLOR=1 " : "") + binary_path() +
                       " console --agent unix:" + alpha.socket() + "; sleep 60");
    ASSERT_TRUE(tmux.started()) << tmux.error();
    ASSERT_TRUE(tmux.shows("live from alpha")) << tmux.screen();
    const std::string styled = tmux.styled_screen();
    EXPECT_EQ(std::regex_search(styled, colour), !no_color) << "NO_COLOR=" << no_color << "\n"
                                                            << styled;
    if (no_color) {
      EXPECT_NE(styled.find("\x1b[7m"), std::string::npos) << "reverse video bars\n" << styled;
    }
  }
}

TEST(Tui, DemoOnATerminalOpensTheConsoleAndQStopsTheCluster) {
  TempDir dir;
  const std::string exit_file = dir.file("demo.exit");
  Tmux tmux(dir, binary_path() + " demo; echo $? > " + exit_file + "; sleep 60");
  ASSERT_TRUE(tmux.started()) << tmux.error();
  ASSERT_TRUE(tmux.shows("3/3 nodes alive", 60s)) << tmux.screen();
  tmux.keys("2");
  EXPECT_TRUE(tmux.shows("demo-3")) << tmux.screen();
  tmux.keys("q");
  ASSERT_TRUE(eventually([&] { return !read_file(exit_file).empty(); }, 30s)) << tmux.screen();
  EXPECT_EQ(read_file(exit_file), "0\n");
  EXPECT_TRUE(tmux.shows("demo stopped; removed")) << tmux.screen();
}

TEST(Tui, ColonBarRunsATableCommandWithCompletionAndTheShellsHistory) {
  TempDir dir;
  Agent alpha(dir, {.node = "alpha"});
  Tmux tmux(dir, "env XDG_STATE_HOME=" + dir.file("state") + " " + binary_path() +
                     " console --agent unix:" + alpha.socket() + "; sleep 60");
  ASSERT_TRUE(tmux.started()) << tmux.error();
  ASSERT_TRUE(tmux.shows("live from alpha")) << tmux.screen();

  tmux.keys(":");
  tmux.keys("node show al");
  tmux.keys("Tab");
  ASSERT_TRUE(tmux.shows(":node show alpha _")) << "Tab completed the live node name\n"
                                                << tmux.screen();
  tmux.keys("Enter");
  ASSERT_TRUE(tmux.shows(":node show alpha   (Esc back")) << tmux.screen();
  EXPECT_TRUE(tmux.shows("capabilities")) << tmux.screen();

  // A mutating command from the bar reaches the agent.
  tmux.keys("Escape");
  tmux.keys(":");
  tmux.keys("note from-the-colon-bar");
  tmux.keys("Enter");
  EXPECT_TRUE(tmux.shows("recorded event")) << tmux.screen();
  auto events = run_cli({"--agent", alpha.socket(), "events", "--kind", "note"});
  EXPECT_NE(events.out.find("from-the-colon-bar"), std::string::npos) << events.out;

  // Up recalls the last line; the lines are in the shell's history file too; Esc cancels.
  tmux.keys("Escape");
  tmux.keys(":");
  tmux.keys("Up");
  EXPECT_TRUE(tmux.shows(":note from-the-colon-bar_")) << tmux.screen();
  tmux.keys("Escape");
  EXPECT_TRUE(tmux.shows("? help  q quit")) << tmux.screen();
  std::string history = read_file(dir.file("state/constellation/shell_history"));
  EXPECT_NE(history.find("node show alpha\nnote from-the-colon-bar\n"), std::string::npos)
      << history;
}
