// Thin wrapper over libsystemd's sd_notify. Return values are ignored on purpose: sd_notify
// returns 0 outside systemd, and a failed notification must never stop the agent.
#include "agent/runtime/sd_notify.hpp"

#include <string>

#include <systemd/sd-daemon.h>

namespace constellation::runtime::sd {

void ready() {
  sd_notify(0, "READY=1");
}
void reloading() {
  sd_notify(0, "RELOADING=1");
}
void stopping() {
  sd_notify(0, "STOPPING=1");
}

void status(std::string_view text) {
  std::string message = "STATUS=" + std::string(text);
  sd_notify(0, message.c_str());
}

std::optional<std::chrono::microseconds> watchdog_interval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

void watchdog_ping() {
  sd_notify(0, "WATCHDOG=1");
}

}  // namespace constellation::runtime::sd
