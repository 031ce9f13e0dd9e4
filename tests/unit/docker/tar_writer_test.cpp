// The ustar writer: archives that tar(1) lists back exactly, and refusals for paths that
// do not fit the format.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

#include "agent/docker/tar_writer.hpp"

namespace constellation::docker {
namespace {

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[512];
    while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

TEST(TarWriter, WritesAnArchiveThatTarListsVerbatim) {
  TarWriter tar;
  ASSERT_TRUE(tar.add_directory("bin").has_value());
  ASSERT_TRUE(tar.add_file("bin/hello", "hello\n", 0755).has_value());
  ASSERT_TRUE(tar.add_symlink("bin/hi", "hello").has_value());
  std::string deep = std::string(120, 'd') + "/file";
  ASSERT_TRUE(tar.add_file(deep, "x").has_value());
  auto archive = tar.finish();
  EXPECT_EQ(archive.size() % 512, 0u);

  std::string path = "/tmp/unit_docker_tar_" + std::to_string(::getpid()) + ".tar";
  std::ofstream(path, std::ios::binary) << archive;
  auto listing = run("tar -tvf " + path + " 2>&1");
  auto content = run("tar -xOf " + path + " bin/hello 2>&1");
  std::remove(path.c_str());
  EXPECT_NE(listing.find("bin/\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("-rwxr-xr-x root/root         6 "), std::string::npos) << listing;
  EXPECT_NE(listing.find("bin/hi -> hello"), std::string::npos) << listing;
  EXPECT_NE(listing.find(deep), std::string::npos) << listing;
  EXPECT_EQ(listing.find("checksum"), std::string::npos) << listing;
  EXPECT_EQ(content, "hello\n");
}

TEST(TarWriter, RefusesPathsThatDoNotFit) {
  TarWriter tar;
  EXPECT_FALSE(tar.add_file("", "x").has_value());
  EXPECT_FALSE(tar.add_file(std::string(101, 'a'), "x").has_value());
  EXPECT_FALSE(tar.add_symlink("l", std::string(101, 't')).has_value());
}

}  // namespace
}  // namespace constellation::docker
