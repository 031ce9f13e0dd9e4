// docker exec output: the stdcopy frames split into stdout and stderr, malformed frames named
// by offset, and the in-container fetch command's shape.
#include <gtest/gtest.h>

#include <string>

#include "agent/docker/exec.hpp"

namespace constellation::docker {
namespace {

std::string frame(char stream, const std::string& payload) {
  std::string out{stream, 0, 0, 0};
  const auto n = payload.size();
  out += static_cast<char>((n >> 24) & 0xff);
  out += static_cast<char>((n >> 16) & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  out += static_cast<char>(n & 0xff);
  return out + payload;
}

TEST(ExecStream, InterleavedFramesSplitIntoStdoutAndStderr) {
  ExecResult result;
  const std::string big(70000, 'x');  // a length that needs more than two header bytes
  ASSERT_TRUE(
      demux_stdcopy(frame(1, "warp=") + frame(2, "progress\n") + frame(1, "on\n") + frame(1, big),
                    result)
          .has_value());
  EXPECT_EQ(result.out, "warp=on\n" + big);
  EXPECT_EQ(result.err, "progress\n");
}

TEST(ExecStream, EmptyOutputIsNoOutput) {
  ExecResult result;
  ASSERT_TRUE(demux_stdcopy("", result).has_value());
  EXPECT_TRUE(result.out.empty());
  EXPECT_TRUE(result.err.empty());
}

TEST(ExecStream, TruncatedFramesAreNamedByOffset) {
  ExecResult result;
  auto header_cut = demux_stdcopy(frame(1, "abc") + std::string("\x01\0\0", 3), result);
  ASSERT_FALSE(header_cut.has_value());
  EXPECT_NE(header_cut.error().message.find("truncated frame header at byte 11"), std::string::npos)
      << header_cut.error().message;

  auto payload_cut = demux_stdcopy(frame(2, "abcdef").substr(0, 10), result);
  ASSERT_FALSE(payload_cut.has_value());
  EXPECT_NE(payload_cut.error().message.find("announces 6 bytes, 2 remain"), std::string::npos)
      << payload_cut.error().message;
}

TEST(ExecStream, AnUnknownStreamNumberIsRefused) {
  ExecResult result;
  auto refused = demux_stdcopy(frame(7, "?"), result);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("unknown stream 7"), std::string::npos);
}

TEST(FetchCommand, PassesUrlAndWholeSecondsAsArgumentsNotThroughTheShellText) {
  auto cmd =
      fetch_command("http://10.0.2.1:80/cdn-cgi/trace?a=1&b=$(x)", std::chrono::milliseconds(2500));
  ASSERT_EQ(cmd.size(), 6u);
  EXPECT_EQ(cmd[0], "sh");
  EXPECT_EQ(cmd[4], "3");  // rounded up
  EXPECT_EQ(cmd[5], "http://10.0.2.1:80/cdn-cgi/trace?a=1&b=$(x)");
  EXPECT_EQ(cmd[2].find("cdn-cgi"), std::string::npos);  // the URL never enters the script
}

}  // namespace
}  // namespace constellation::docker
