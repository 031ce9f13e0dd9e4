// Pure renderers: the table model, events as rows and follow lines, status fields, and the
// time and size formats.
#include <gtest/gtest.h>

#include "console/command/output.hpp"
#include "console/render/events.hpp"
#include "console/render/format.hpp"
#include "console/render/status.hpp"

namespace constellation::console {
namespace {

TEST(RenderTable, AlignsColumnsToTheWidestCellWithUpperCaseHeadings) {
  Table table{.columns = {"name", "state"}, .rows = {{"journal", "running"}, {"api", "up"}}};
  EXPECT_EQ(render_table(table),
            "NAME     STATE\n"
            "journal  running\n"
            "api      up\n");
}

TEST(RenderTable, CountsUtf8CodePointsNotBytes) {
  Table table{.columns = {"node", "x"}, .rows = {{"zürich", "1"}, {"oslo", "2"}}};
  EXPECT_EQ(render_table(table),
            "NODE    X\n"
            "zürich  1\n"
            "oslo    2\n");
  EXPECT_EQ(display_width("zürich"), 6u);
}

TEST(RenderTable, ShortRowsAndNoHeadingsLeaveNoTrailingSpaces) {
  Table table{.columns = {}, .rows = {{"a", "b", "c"}, {"long"}}};
  EXPECT_EQ(render_table(table), "a     b  c\nlong\n");
}

TEST(RenderFields, AlignsValues) {
  EXPECT_EQ(render_fields({{"node", "alpha"}, {"version", "0.1.0"}}),
            "node     alpha\nversion  0.1.0\n");
}

Event sample_event() {
  Event event;
  event.id = 7;
  event.time_ms = 1'700'000'000'000;
  event.node = "alpha";
  event.kind = "note";
  event.subject = "web";
  event.detail = {{"message", "deploying"}, {"count", 2}, {"by", "ops"}};
  return event;
}

TEST(EventsRender, DetailShowsMessageFirstThenOtherFields) {
  EXPECT_EQ(event_detail_text(sample_event()), "deploying by=ops count=2");
  Event empty;
  EXPECT_EQ(event_detail_text(empty), "");
}

TEST(EventsRender, TableHasTimeNodeKindSubjectDetailColumns) {
  Event no_subject = sample_event();
  no_subject.subject.clear();
  std::string text = render_table(events_table({sample_event(), no_subject}));
  EXPECT_EQ(text,
            "TIME                  NODE   KIND  SUBJECT  DETAIL\n"
            "2023-11-14T22:13:20Z  alpha  note  web      deploying by=ops count=2\n"
            "2023-11-14T22:13:20Z  alpha  note  -        deploying by=ops count=2\n");
}

TEST(EventsRender, FollowLinesUseFixedWidthsMatchingTheHeading) {
  std::string heading = follow_heading();
  std::string line = follow_line(sample_event());
  EXPECT_EQ(heading.find("NODE"), line.find("alpha"));
  EXPECT_EQ(heading.find("DETAIL"), line.find("deploying"));
  EXPECT_TRUE(line.ends_with("count=2\n"));
}

TEST(StatusRender, ShowsFieldsAndSubsystemsAndToleratesMissingOnes) {
  nlohmann::json status = {
      {"node", "alpha"},
      {"version", "0.1.0"},
      {"api_version", "v1"},
      {"uptime_ms", 200000},
      {"listen", {{"api", "127.0.0.1:8080"}, {"socket", "/run/c.sock"}}},
      {"journal", {{"events", 3}, {"bytes", 4096}, {"oldest_ms", 0}, {"newest_ms", 0}}},
      {"subsystems", {{{"name", "journal"}, {"state", "running"}}}},
  };
  std::string text = render_status(status);
  EXPECT_NE(text.find("node        alpha\n"), std::string::npos) << text;
  EXPECT_NE(text.find("0.1.0 (api v1)"), std::string::npos) << text;
  EXPECT_NE(text.find("uptime      3m20s"), std::string::npos) << text;
  EXPECT_NE(text.find("3 events, 4.0 KiB"), std::string::npos) << text;
  EXPECT_NE(text.find("journal    running"), std::string::npos) << text;
  EXPECT_NE(text.find("pid         -"), std::string::npos) << text;
  EXPECT_NO_THROW(render_status(nlohmann::json::object()));
}

TEST(Format, TimesAreUtcIsoAndSizesAreBinary) {
  EXPECT_EQ(format_time_ms(1'700'000'000'123), "2023-11-14T22:13:20Z");
  EXPECT_EQ(format_time_ms(0), "-");
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(48 * 1024), "48.0 KiB");
  EXPECT_EQ(format_bytes(3 * 1024 * 1024 / 2), "1.5 MiB");
}

}  // namespace
}  // namespace constellation::console
