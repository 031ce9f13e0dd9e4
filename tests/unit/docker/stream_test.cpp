// Streamed bodies: events and progress arrive in arbitrary fragments; lines must come out
// whole, and an error inside a 200 build stream must fail the build.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agent/docker/decode.hpp"
#include "agent/docker/line_splitter.hpp"
#include "agent/docker/progress.hpp"

namespace constellation::docker {
namespace {

std::vector<std::string> split_all(LineSplitter& s, const std::vector<std::string>& fragments) {
  std::vector<std::string> lines;
  for (const auto& f : fragments) {
    auto st = s.feed(f, [&](std::string_view line) { lines.emplace_back(line); });
    EXPECT_TRUE(st.has_value());
  }
  return lines;
}

TEST(LineSplitter, JoinsLinesSplitAcrossFragments) {
  LineSplitter s;
  auto lines = split_all(s, {"{\"a\":", "1}\n{\"b\"", ":2}\n{\"c\":3"});
  EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(s.take_rest(), "{\"c\":3");
  EXPECT_EQ(s.take_rest(), "");
}

TEST(LineSplitter, YieldsSeveralLinesFromOneFragment) {
  LineSplitter s;
  EXPECT_EQ(split_all(s, {"x\ny\nz\n"}), (std::vector<std::string>{"x", "y", "z"}));
}

TEST(LineSplitter, StripsCarriageReturnsRecordSeparatorsAndBlankLines) {
  LineSplitter s;
  EXPECT_EQ(split_all(s, {"\x1e{\"a\":1}\r\n", "\r\n\n", "\x1e{\"b\":2}\n"}),
            (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
}

TEST(LineSplitter, HandlesOneByteFragments) {
  LineSplitter s;
  std::string text = "ab\ncd\n";
  std::vector<std::string> fragments;
  for (char c : text) fragments.emplace_back(1, c);
  EXPECT_EQ(split_all(s, fragments), (std::vector<std::string>{"ab", "cd"}));
}

TEST(LineSplitter, RefusesALineOverTheLimit) {
  LineSplitter s(8);
  auto st = s.feed("0123456789", [](std::string_view) {});
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, ErrorCode::too_large);
  // The splitter is usable again afterwards.
  std::vector<std::string> lines;
  EXPECT_TRUE(s.feed("ok\n", [&](std::string_view l) { lines.emplace_back(l); }).has_value());
  EXPECT_EQ(lines, std::vector<std::string>{"ok"});
}

TEST(EventDecoding, ReadsTypeActionActorAndTime) {
  auto e = decode_event(
      R"({"status":"die","id":"abc","Type":"container","Action":"die","Actor":{"ID":"abc",)"
      R"("Attributes":{"name":"web","exitCode":"137","constellation.service":"web"}},)"
      R"("scope":"local","time":1629574695,"timeNano":1629574695515050031})");
  ASSERT_TRUE(e.has_value()) << e.error().message;
  EXPECT_EQ(e->type, "container");
  EXPECT_EQ(e->action, "die");
  EXPECT_EQ(e->actor_id, "abc");
  EXPECT_EQ(e->attributes.at("exitCode"), "137");
  EXPECT_EQ(e->attributes.at("constellation.service"), "web");
  EXPECT_EQ(e->time_nano, 1629574695515050031);
  EXPECT_EQ(e->health_status(), "");
}

TEST(EventDecoding, ExtractsTheHealthStatusFromTheAction) {
  auto e = decode_event(R"({"Type":"container","Action":"health_status: unhealthy",)"
                        R"("Actor":{"ID":"x","Attributes":{}},"time":5})");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->health_status(), "unhealthy");
  EXPECT_EQ(e->time_nano, 5'000'000'000);
}

TEST(EventDecoding, RejectsMalformedJson) {
  EXPECT_EQ(decode_event("{\"Type\":").error().code, ErrorCode::invalid_argument);
}

TEST(ProgressStream, CollectsBuildOutputAndTheImageId) {
  std::vector<std::string> seen;
  ProgressStream stream("docker build of app:1",
                        [&](const ProgressMessage& m) { seen.push_back(m.stream); });
  ASSERT_TRUE(stream.feed("{\"stream\":\"Step 1/2 : FROM base\"}\r\n{\"str").has_value());
  ASSERT_TRUE(stream.feed("eam\":\"\\n\"}\n{\"aux\":{\"ID\":\"sha256:abc\"}}\n").has_value());
  ASSERT_TRUE(stream.feed("{\"stream\":\"Successfully built abc\\n\"}").has_value());
  auto result = stream.finish();
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->image_id, "sha256:abc");
  EXPECT_EQ(result->log, "Step 1/2 : FROM base\nSuccessfully built abc\n");
  EXPECT_EQ(seen.size(), 4u);
}

TEST(ProgressStream, FailsOnAnErrorInsideA200Stream) {
  ProgressStream stream("docker build of app:2", {});
  ASSERT_TRUE(stream
                  .feed("{\"stream\":\"Step 2/2 : RUN false\"}\n"
                        "{\"errorDetail\":{\"code\":1,\"message\":\"The command '/bin/sh -c "
                        "false' returned a non-zero code: 1\"},\"error\":\"The command "
                        "'/bin/sh -c false' returned a non-zero code: 1\"}\n")
                  .has_value());
  auto result = stream.finish();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message,
            "docker build of app:2 failed: The command '/bin/sh -c false' returned a non-zero "
            "code: 1");
}

TEST(ProgressStream, TreatsABareErrorFieldAsFailure) {
  ProgressStream stream("docker import", {});
  ASSERT_TRUE(stream.feed("{\"error\":\"no space left\"}\n").has_value());
  EXPECT_NE(stream.finish().error().message.find("no space left"), std::string::npos);
}

TEST(ProgressStream, TreatsAMalformedLineAsFailure) {
  ProgressStream stream("docker build", {});
  ASSERT_TRUE(stream.feed("not json\n{\"stream\":\"ok\"}\n").has_value());
  auto result = stream.finish();
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("malformed"), std::string::npos);
}

TEST(ProgressParsing, ReadsStatusLines) {
  auto m = parse_progress_line(R"({"status":"Downloading","id":"abc","progressDetail":{}})");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->status, "Downloading");
  EXPECT_EQ(m->id, "abc");
  EXPECT_FALSE(m->error.has_value());
}

}  // namespace
}  // namespace constellation::docker
