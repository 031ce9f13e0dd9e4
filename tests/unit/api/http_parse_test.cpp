// The server's HTTP parser on raw bytes (the same path the fuzz target drives).
#include <gtest/gtest.h>

#include "agent/api/session.hpp"

namespace constellation::api {
namespace {

TEST(HttpParse, CompleteRequestYieldsMethodTargetHeadersAndBody) {
  auto request = parse_http_request(
      "POST /api/v1/events?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer t\r\n"
      "Content-Length: 2\r\n\r\n{}",
      1024);
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->target, "/api/v1/events?x=1");
  EXPECT_EQ(request->authorization, "Bearer t");
  EXPECT_EQ(request->body, "{}");
}

TEST(HttpParse, ChunkedBodyIsReassembled) {
  auto request = parse_http_request(
      "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
      "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
      1024);
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->body, "abcde");
}

TEST(HttpParse, BodyOverTheLimitIsTooLarge) {
  auto request = parse_http_request(
      "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n" + std::string(2000, 'x'), 1024);
  ASSERT_FALSE(request);
  EXPECT_EQ(request.error().code, ErrorCode::too_large);
  EXPECT_NE(request.error().message.find("1024"), std::string::npos);
}

TEST(HttpParse, GarbageAndTruncatedRequestsAreInvalid) {
  for (std::string bytes :
       {std::string("\x16\x03\x01 not http\r\n\r\n"), std::string("GET /x HTTP/1.1\r\nHost: a\r\n"),
        std::string("POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"), std::string("")}) {
    auto request = parse_http_request(bytes, 1024);
    ASSERT_FALSE(request) << bytes;
    EXPECT_EQ(request.error().code, ErrorCode::invalid_argument) << bytes;
    EXPECT_NE(request.error().message.find("malformed HTTP request"), std::string::npos);
  }
}

}  // namespace
}  // namespace constellation::api
