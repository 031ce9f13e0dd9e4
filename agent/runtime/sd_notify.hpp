// systemd readiness and watchdog notifications (Type=notify). Every call is a no-op when the
// agent is not started by systemd ($NOTIFY_SOCKET unset), so the agent behaves the same in a
// terminal, in tests and under systemd.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace constellation::runtime::sd {

void ready();
void reloading();
void stopping();
/// One line for `systemctl status`.
void status(std::string_view text);
/// The interval at which WATCHDOG=1 must be sent (half of WatchdogSec), if enabled.
std::optional<std::chrono::microseconds> watchdog_interval();
void watchdog_ping();

}  // namespace constellation::runtime::sd
