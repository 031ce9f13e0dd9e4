// A fake of tailscaled's LocalAPI for tests, built from the contract
// (shared/contracts/external-apis.md §4.2) because tailscaled cannot run here: a unix-socket
// HTTP/1.1 server answering GET /localapi/v0/status with a status document read from a file
// on every request (so a test can rewrite it), and 403 "invalid localapi request" when the
// Host header is not local-tailscaled.sock (or empty) or Origin/Referer is present.
//
// Ownership: owns its socket file and one serving thread; the destructor stops and joins it.
// Threading: set_* may be called from the test thread while the server runs.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace constellation::testing {

class FakeTailscaled {
 public:
  /// Listens on `socket_path` and serves the contents of `document_path`.
  FakeTailscaled(std::string socket_path, std::string document_path);
  ~FakeTailscaled();
  FakeTailscaled(const FakeTailscaled&) = delete;
  FakeTailscaled& operator=(const FakeTailscaled&) = delete;

  const std::string& socket_path() const { return socket_path_; }
  /// From now on answer every request with 403 and this body (as tailscaled does for a
  /// permission problem); "" returns to normal answers.
  void set_forbidden(std::string body);
  /// Status requests answered with 200 so far.
  int status_requests() const { return status_requests_.load(); }
  /// The Host header of the last request ("" if it had none).
  std::string last_host() const;

 private:
  void serve();
  void answer(int client);

  std::string socket_path_, document_path_;
  int listener_ = -1;
  int wake_[2] = {-1, -1};
  std::thread thread_;
  std::atomic<int> status_requests_{0};
  mutable std::mutex mutex_;
  std::string forbidden_, last_host_;
};

}  // namespace constellation::testing
