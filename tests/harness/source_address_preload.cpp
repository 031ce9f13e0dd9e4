// LD_PRELOAD shim for partition tests: connect() on an unbound IPv4 TCP socket first binds it
// to CONSTELLATION_TEST_SOURCE_ADDRESS, so streams a library opens unbound (libraft's raft_uv
// TCP transport) leave from the agent's own 127.0.0.x and iptables rules can tell nodes apart.
//
// Loaded into test agents only (Agent::Options.env); the product never uses it. Threading: as
// connect(). Failure: when the variable is unset, the socket is bound or binding fails, the
// real connect() runs unchanged.
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>

namespace {

using ConnectFn = int (*)(int, const sockaddr*, socklen_t);

ConnectFn real_connect() {
  static ConnectFn fn = reinterpret_cast<ConnectFn>(dlsym(RTLD_NEXT, "connect"));
  return fn;
}

/// Binds `fd` to the configured source address when it is an unbound IPv4 stream socket.
void bind_source(int fd, const sockaddr* to) {
  const char* source = std::getenv("CONSTELLATION_TEST_SOURCE_ADDRESS");
  if (source == nullptr || *source == '\0' || to == nullptr || to->sa_family != AF_INET) return;
  int type = 0;
  socklen_t type_len = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_len) != 0 || type != SOCK_STREAM) return;
  sockaddr_in local{};
  socklen_t local_len = sizeof local;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
      local.sin_family != AF_INET || local.sin_port != 0 || local.sin_addr.s_addr != INADDR_ANY)
    return;
  sockaddr_in wanted{};
  wanted.sin_family = AF_INET;
  wanted.sin_port = 0;
  if (inet_pton(AF_INET, source, &wanted.sin_addr) != 1) return;
  (void)bind(fd, reinterpret_cast<const sockaddr*>(&wanted), sizeof wanted);
}

}  // namespace

/// The libc connect(), after bind_source().
extern "C" int connect(int fd, const sockaddr* to, socklen_t length) {
  bind_source(fd, to);
  return real_connect()(fd, to, length);
}
