// A runnable image without a registry: Debian's static busybox packed into a root
// filesystem tar and imported into an engine. Used by the tests' private dockerd and by
// anything else that needs a tiny image offline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/docker/client.hpp"
#include "shared/error.hpp"

namespace constellation::docker {

/// Applets linked by default: enough for healthchecks, sleep loops and RUN steps.
std::vector<std::string> default_busybox_applets();

/// A root filesystem tar: busybox at /bin/busybox (read from busybox_path, which must be a
/// static binary), a symlink per applet in /bin, and empty /tmp, /etc and /root.
/// not_found when busybox_path cannot be read.
Result<std::string> busybox_rootfs_tar(std::string_view busybox_path,
                                       const std::vector<std::string>& applets);

/// Builds that tar and imports it as repo:tag (POST /images/create?fromSrc=-).
Status import_busybox_image(DockerClient& client, std::string_view busybox_path,
                            std::string_view repo, std::string_view tag);

}  // namespace constellation::docker
