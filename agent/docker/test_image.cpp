// The busybox test image; see test_image.hpp.
#include "agent/docker/test_image.hpp"

#include <fstream>
#include <iterator>

#include "agent/docker/tar_writer.hpp"

namespace constellation::docker {

std::vector<std::string> default_busybox_applets() {
  return {"sh",    "sleep", "touch", "rm",  "test", "cat",   "wget", "echo", "true",
          "false", "ls",    "mkdir", "env", "id",   "httpd", "nc",   "kill", "ps"};
}

Result<std::string> busybox_rootfs_tar(std::string_view busybox_path,
                                       const std::vector<std::string>& applets) {
  std::ifstream in{std::string(busybox_path), std::ios::binary};
  if (!in) {
    return fail(ErrorCode::not_found,
                "cannot read " + std::string(busybox_path) + " (install Debian's busybox-static)");
  }
  std::string binary((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  TarWriter tar;
  for (const char* dir : {"bin", "tmp", "etc", "root"}) {
    if (auto s = tar.add_directory(dir, std::string_view(dir) == "tmp" ? 01777 : 0755); !s) {
      return std::unexpected(s.error());
    }
  }
  if (auto s = tar.add_file("bin/busybox", binary, 0755); !s) return std::unexpected(s.error());
  for (const auto& applet : applets) {
    if (auto s = tar.add_symlink("bin/" + applet, "busybox"); !s) {
      return std::unexpected(s.error());
    }
  }
  return tar.finish();
}

Status import_busybox_image(DockerClient& client, std::string_view busybox_path,
                            std::string_view repo, std::string_view tag) {
  auto tar = busybox_rootfs_tar(busybox_path, default_busybox_applets());
  if (!tar) return std::unexpected(tar.error());
  return client.import_image(repo, tag, std::move(*tar));
}

}  // namespace constellation::docker
