// /api/v1/events input validation: query parameters and note bodies, with messages that
// name the parameter and the value.
#include <gtest/gtest.h>

#include "agent/api/event_params.hpp"

namespace constellation::api {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;

Result<EventQuery> query(std::map<std::string, std::string> parameters) {
  return parse_event_query(parameters, kNow);
}

std::string message_of(const Result<EventQuery>& result) {
  return result ? "" : result.error().message;
}

TEST(EventQueryParams, NoParametersGiveOpenQueryWithDefaultLimit) {
  auto parsed = query({});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->limit, 100);
  EXPECT_FALSE(parsed->since_ms);
  EXPECT_FALSE(parsed->until_ms);
  EXPECT_FALSE(parsed->kind);
}

TEST(EventQueryParams, SinceIsADurationBackFromNow) {
  auto parsed = query({{"since", "15m"}});
  ASSERT_TRUE(parsed) << message_of(parsed);
  EXPECT_EQ(parsed->since_ms, kNow - 15 * 60 * 1000);
}

TEST(EventQueryParams, AllParametersAreParsed) {
  auto parsed = query({{"since_ms", "10"},
                       {"until_ms", "20"},
                       {"kind", "agent."},
                       {"subject", "db1"},
                       {"after_id", "7"},
                       {"limit", "10000"}});
  ASSERT_TRUE(parsed) << message_of(parsed);
  EXPECT_EQ(parsed->since_ms, 10);
  EXPECT_EQ(parsed->until_ms, 20);
  EXPECT_EQ(parsed->kind, "agent.");
  EXPECT_EQ(parsed->subject, "db1");
  EXPECT_EQ(parsed->after_id, 7);
  EXPECT_EQ(parsed->limit, 10000);
}

TEST(EventQueryParams, BadValuesNameTheParameterAndTheValue) {
  const std::pair<std::string, std::string> bad[] = {
      {"limit", "lots"},      {"limit", "0"},      {"limit", "10001"}, {"limit", "-5"},
      {"since", "yesterday"}, {"since_ms", "12x"}, {"until_ms", ""},   {"after_id", "-1"},
      {"kind", ""},           {"subject", ""},     {"limit", "1e3"},
  };
  for (const auto& [name, value] : bad) {
    auto parsed = query({{name, value}});
    ASSERT_FALSE(parsed) << name << "=" << value;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(parsed.error().message.find(name + "='" + value + "'"), std::string::npos)
        << parsed.error().message;
  }
}

TEST(EventQueryParams, UnknownParameterIsRefusedWithSuggestion) {
  auto parsed = query({{"limt", "5"}});
  ASSERT_FALSE(parsed);
  EXPECT_NE(message_of(parsed).find("'limt'"), std::string::npos) << message_of(parsed);
  EXPECT_NE(message_of(parsed).find("did you mean 'limit'"), std::string::npos)
      << message_of(parsed);
}

TEST(EventQueryParams, SinceAndSinceMsTogetherAreRefused) {
  auto parsed = query({{"since", "1h"}, {"since_ms", "5"}});
  ASSERT_FALSE(parsed);
  EXPECT_NE(message_of(parsed).find("since_ms"), std::string::npos);
}

TEST(EventQueryParams, UntilBeforeSinceIsRefused) {
  auto parsed = query({{"since_ms", "50"}, {"until_ms", "20"}});
  ASSERT_FALSE(parsed);
  EXPECT_NE(message_of(parsed).find("until_ms=20"), std::string::npos);
}

TEST(NoteBody, MessageBecomesANoteEventWithTheActor) {
  auto note = parse_note({{"message", "hello"}}, "api:unix");
  ASSERT_TRUE(note);
  EXPECT_EQ(note->kind, "note");
  EXPECT_EQ(note->subject, "");
  EXPECT_EQ(note->actor, "api:unix");
  EXPECT_EQ(note->detail, nlohmann::json({{"message", "hello"}}));
}

TEST(NoteBody, KindMustBeNoteOrStartWithNoteDot) {
  EXPECT_TRUE(parse_note({{"message", "m"}, {"kind", "note"}}, "a"));
  EXPECT_TRUE(parse_note({{"message", "m"}, {"kind", "note.maintenance"}}, "a"));
  for (auto kind : {"agent.started", "notes", "note.", "Note", "", "xnote.y"}) {
    auto note = parse_note({{"message", "m"}, {"kind", kind}}, "a");
    ASSERT_FALSE(note) << kind;
    EXPECT_NE(note.error().message.find("note.<something>"), std::string::npos);
  }
}

TEST(NoteBody, ShapeErrorsSayWhatIsExpected) {
  EXPECT_FALSE(parse_note(nlohmann::json::array(), "a"));
  EXPECT_FALSE(parse_note({{"message", ""}}, "a"));
  EXPECT_FALSE(parse_note({{"subject", "x"}}, "a"));
  EXPECT_FALSE(parse_note({{"message", 5}}, "a"));
  auto unknown = parse_note({{"message", "m"}, {"actor", "root"}}, "a");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("'actor'"), std::string::npos);
}

}  // namespace
}  // namespace constellation::api
