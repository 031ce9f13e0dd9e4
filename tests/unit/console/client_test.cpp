// The real libcurl/Beast client against sockets nobody listens on: every failure is an
// unavailable error with the one-line "cannot reach the agent" message naming the address.
// Token files are read only for TCP and refused when group/other-readable.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "console/client/curl_client.hpp"

namespace constellation::console {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "console-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

void expect_unreachable(const Error& error, const std::string& address) {
  EXPECT_EQ(error.code, ErrorCode::unavailable);
  EXPECT_TRUE(error.message.starts_with("cannot reach the agent at " + address + ": "))
      << error.message;
  EXPECT_NE(error.message.find("CONSTELLATION_AGENT"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find('\n'), std::string::npos) << error.message;
}

TEST(CurlClient, MissingSocketIsUnavailableNamingTheSocket) {
  TempDir dir;
  std::string socket = dir.file("agent.sock");
  auto client = make_curl_client(socket, std::nullopt);
  ASSERT_TRUE(client) << client.error().message;
  auto response = (*client)->get("/api/v1/status");
  ASSERT_FALSE(response);
  expect_unreachable(response.error(), socket);
  EXPECT_NE(response.error().message.find("no such socket"), std::string::npos);
}

TEST(CurlClient, SocketWithoutListenerIsUnavailable) {
  TempDir dir;
  std::string path = dir.file("dead.sock");
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ::close(fd);  // the file stays, nobody listens: connection refused
  auto client = make_curl_client("unix:" + path, std::nullopt);
  ASSERT_TRUE(client);
  auto response = (*client)->post("/api/v1/events", {{"message", "x"}});
  ASSERT_FALSE(response);
  expect_unreachable(response.error(), "unix:" + path);
}

TEST(CurlClient, ClosedLoopbackPortIsUnavailable) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  auto client = make_curl_client(url, std::nullopt);
  ASSERT_TRUE(client);
  auto response = (*client)->get("/health");
  ASSERT_FALSE(response);
  expect_unreachable(response.error(), url);
}

TEST(CurlClient, SubscribeToMissingSocketIsUnavailable) {
  TempDir dir;
  auto client = make_curl_client(dir.file("agent.sock"), std::nullopt);
  ASSERT_TRUE(client);
  auto stream = (*client)->subscribe();
  ASSERT_FALSE(stream);
  expect_unreachable(stream.error(), dir.file("agent.sock"));
}

TEST(CurlClient, BadAddressIsAUsageError) {
  auto client = make_curl_client("nowhere", std::nullopt);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, ErrorCode::invalid_argument);
}

TEST(CurlClient, GroupReadableTokenFileIsRefusedForTcp) {
  TempDir dir;
  std::string token = dir.file("api-token");
  std::ofstream(token) << "secret-value\n";
  ::chmod(token.c_str(), 0644);
  auto client = make_curl_client("http://127.0.0.1:1", token);
  ASSERT_FALSE(client);
  EXPECT_NE(client.error().message.find(token), std::string::npos) << client.error().message;
  EXPECT_EQ(client.error().message.find("secret-value"), std::string::npos);
  EXPECT_TRUE(make_curl_client(dir.file("agent.sock"), token)) << "unix sockets need no token";
}

}  // namespace
}  // namespace constellation::console
