// Logging setup: one named spdlog logger per subsystem, plain text to stderr (journald adds
// the time) or JSON lines. Secrets are never passed to a logger; callers log file paths only.
#pragma once

#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

#include "shared/error.hpp"

namespace constellation::log {

enum class Format { text, json };

/// Configures the sink and level for all loggers. Level names: trace, debug, info, warn,
/// error, off. Safe to call again (SIGHUP reload).
Status setup(std::string_view level, Format format);
/// Parses "text"/"json".
Result<Format> parse_format(std::string_view name);
/// Parses a level name, with an error listing the valid ones.
Result<spdlog::level::level_enum> parse_level(std::string_view name);
/// The logger for a subsystem ("api", "journal", "runtime", ...), created on first use.
std::shared_ptr<spdlog::logger> get(std::string_view subsystem);

}  // namespace constellation::log
