// One mapping from error codes to HTTP statuses and exit codes.
#include "shared/error.hpp"

#include <gtest/gtest.h>

using namespace constellation;

TEST(ErrorCodes, MapToDocumentedStatusesAndExitCodes) {
  EXPECT_EQ(http_status(ErrorCode::not_found), 404);
  EXPECT_EQ(http_status(ErrorCode::too_large), 413);
  EXPECT_EQ(exit_code(ErrorCode::unavailable), 69);
  EXPECT_EQ(exit_code(ErrorCode::bad_config), 78);
  EXPECT_EQ(exit_code(ErrorCode::invalid_argument), 2);
}

TEST(ErrorCodes, NamesRoundTrip) {
  for (auto code : {ErrorCode::invalid_argument, ErrorCode::unauthorized, ErrorCode::timeout,
                    ErrorCode::bad_config}) {
    EXPECT_EQ(error_code_from_name(error_code_name(code)), code);
  }
}
