// Secret files: refused unless only the owner can read or write them, with the chmod fix in
// the message; a missing file is not_found; the API token is optional.
#include <gtest/gtest.h>

#include "tests/unit/config/config_fixture.hpp"

namespace constellation::config {
namespace {

using testing::TempDir;

TEST(ReadSecret, ReadsAnOwnerOnlyFileAndTrimsTrailingWhitespace) {
  TempDir dir;
  std::string path = dir.write("token", "s3cr3t value\n\n", 0600);
  EXPECT_EQ(read_secret(path).value(), "s3cr3t value");
  std::string read_only = dir.write("ro", "abc", 0400);
  EXPECT_EQ(read_secret(read_only).value(), "abc");
}

TEST(ReadSecret, RefusesAGroupOrWorldReadableFileAndSaysHowToFixIt) {
  TempDir dir;
  std::string path = dir.write("token", "s3cr3t", 0644);
  auto secret = read_secret(path);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::bad_config);
  EXPECT_EQ(secret.error().message, "secret file " + path +
                                        " is readable by group or others (mode 0644); run: "
                                        "chmod 600 " +
                                        path);
  EXPECT_EQ(secret.error().message.find("s3cr3t"), std::string::npos);
}

TEST(ReadSecret, RefusesGroupWritableAndGroupReadableModes) {
  TempDir dir;
  for (mode_t mode : {0620, 0640, 0604, 0602}) {
    std::string path = dir.write("token", "x", mode);
    ::chmod(path.c_str(), mode);  // the file already exists: write() keeps the old mode
    auto secret = read_secret(path);
    ASSERT_FALSE(secret) << std::oct << mode;
    EXPECT_EQ(secret.error().code, ErrorCode::bad_config);
  }
}

TEST(ReadSecret, MissingFileIsNotFound) {
  TempDir dir;
  auto secret = read_secret(dir.path() + "/absent");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::not_found);
}

TEST(ReadSecret, DirectoryIsRefused) {
  TempDir dir;
  auto secret = read_secret(dir.path());
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::bad_config);
}

TEST(ReadApiToken, IsAbsentWhenTheFileDoesNotExist) {
  TempDir dir;
  Config config;
  config.secrets_path = dir.path();
  EXPECT_EQ(read_api_token(config).value(), std::nullopt);
}

TEST(ReadApiToken, ReadsSecretsPathApiToken) {
  TempDir dir;
  dir.write("api-token", "tok-123\n", 0600);
  Config config;
  config.secrets_path = dir.path();
  EXPECT_EQ(read_api_token(config).value(), std::optional<std::string>("tok-123"));
}

TEST(ReadApiToken, PropagatesThePermissionRefusalAndRejectsAnEmptyToken) {
  TempDir dir;
  Config config;
  config.secrets_path = dir.path();
  dir.write("api-token", "tok", 0640);
  auto loose = read_api_token(config);
  ASSERT_FALSE(loose);
  EXPECT_NE(loose.error().message.find("chmod 600"), std::string::npos);

  TempDir other;
  config.secrets_path = other.path();
  other.write("api-token", "\n", 0600);
  auto empty = read_api_token(config);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::bad_config);
}

}  // namespace
}  // namespace constellation::config
