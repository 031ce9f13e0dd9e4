// A private Docker engine for tests: a real dockerd (Debian docker.io) started as a child
// with its own data root, exec root, unix socket, pid file and config in a fresh /tmp
// directory, so it never touches the machine's engine. Stopped by PID; its containerd, shims
// and container processes are found through that directory and killed by PID too.
//
// Ownership and threading: one object owns one dockerd; use it from one thread. The
// destructor stops the engine and removes the directory. Needs root.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <memory>
#include <string>

#include "shared/error.hpp"

namespace constellation::testing {

/// The tag the tests' busybox image is imported under.
inline constexpr const char* kTestImageRepo = "constellation-test";
inline constexpr const char* kTestImageTag = "busybox";
inline constexpr const char* kTestImage = "constellation-test:busybox";

/// One private dockerd and its directory.
class PrivateDockerd {
 public:
  /// Creates /tmp/cdk-XXXXXX, starts dockerd there and waits until /_ping answers (at most
  /// ready_timeout). The error carries the command and the tail of dockerd's log.
  static Result<std::unique_ptr<PrivateDockerd>> start(
      std::chrono::milliseconds ready_timeout = std::chrono::seconds(30));
  ~PrivateDockerd();
  PrivateDockerd(const PrivateDockerd&) = delete;
  PrivateDockerd& operator=(const PrivateDockerd&) = delete;

  const std::string& dir() const { return dir_; }
  std::string socket_path() const { return dir_ + "/docker.sock"; }
  /// "unix:///tmp/cdk-…/docker.sock", for DOCKER_HOST.
  std::string docker_host() const { return "unix://" + socket_path(); }
  pid_t pid() const { return pid_; }
  bool running();

  /// Graceful stop: SIGTERM, up to 20 s, then SIGKILL; then kills what it left behind.
  void stop();
  /// Simulates a crash: SIGKILL to dockerd and its containerd at once (shims and
  /// containers survive, as they would on a real host).
  void kill();
  /// Starts dockerd again on the same directories (after stop or kill).
  Status restart(std::chrono::milliseconds ready_timeout = std::chrono::seconds(30));

  /// Imports Debian's /bin/busybox as kTestImage.
  Status import_test_image();

  /// The last `bytes` of dockerd's log, for failure messages.
  std::string log_tail(std::size_t bytes = 2000) const;

 private:
  explicit PrivateDockerd(std::string dir) : dir_(std::move(dir)) {}
  Status launch(std::chrono::milliseconds ready_timeout);
  bool reap(std::chrono::milliseconds timeout);
  void kill_leftovers();

  std::string dir_;
  pid_t pid_ = -1;
};

}  // namespace constellation::testing
