// Bind and connect probes for `doctor`.
#include "console/commands/local_probes.hpp"

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace constellation::console::commands {

BindProbe probe_bind(const config::Endpoint& endpoint, bool udp) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET, endpoint.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(endpoint.port);
    length = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, endpoint.host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(endpoint.port);
    length = sizeof(sockaddr_in6);
  } else {
    return BindProbe::bad_address;
  }
  const int fd = ::socket(storage.ss_family, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
  if (fd < 0) return BindProbe::not_permitted;
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  const int bound = ::bind(fd, reinterpret_cast<sockaddr*>(&storage), length);
  const int error = errno;
  ::close(fd);
  if (bound == 0) return BindProbe::free;
  if (error == EADDRINUSE) return BindProbe::in_use;
  if (error == EADDRNOTAVAIL) return BindProbe::bad_address;
  return BindProbe::not_permitted;
}

SocketProbe probe_unix_socket(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    return errno == EACCES ? SocketProbe::permission_denied : SocketProbe::missing;
  if (!S_ISSOCK(info.st_mode)) return SocketProbe::not_a_socket;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) return SocketProbe::missing;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return SocketProbe::refused;
  const int connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  const int error = errno;
  ::close(fd);
  if (connected == 0) return SocketProbe::accepts;
  if (error == EACCES || error == EPERM) return SocketProbe::permission_denied;
  return SocketProbe::refused;
}

}  // namespace constellation::console::commands
