// spdlog sinks and per-subsystem loggers.
#include "shared/log.hpp"

#include <mutex>
#include <string>

#include <spdlog/sinks/stdout_sinks.h>

namespace constellation::log {
namespace {
std::mutex g_mutex;
spdlog::level::level_enum g_level = spdlog::level::info;
Format g_format = Format::text;

void apply(spdlog::logger& logger) {
  logger.set_level(g_level);
  if (g_format == Format::json)
    logger.set_pattern(R"({"level":"%l","logger":"%n","pid":%P,"msg":"%v"})");
  else
    logger.set_pattern("%^%l%$ %n: %v");
}
}  // namespace

Result<Format> parse_format(std::string_view name) {
  if (name == "text") return Format::text;
  if (name == "json") return Format::json;
  return fail(ErrorCode::invalid_argument,
              "unknown log format '" + std::string(name) + "' (use text or json)");
}

Result<spdlog::level::level_enum> parse_level(std::string_view name) {
  for (auto level : {spdlog::level::trace, spdlog::level::debug, spdlog::level::info,
                     spdlog::level::warn, spdlog::level::err, spdlog::level::off}) {
    auto view = spdlog::level::to_string_view(level);
    if (name == std::string_view(view.data(), view.size())) return level;
  }
  if (name == "error") return spdlog::level::err;
  if (name == "warn" || name == "warning") return spdlog::level::warn;
  return fail(ErrorCode::invalid_argument, "unknown log level '" + std::string(name) +
                                               "' (use trace, debug, info, warn, error or off)");
}

Status setup(std::string_view level, Format format) {
  auto parsed = parse_level(level);
  if (!parsed) return std::unexpected(parsed.error());
  std::lock_guard lock(g_mutex);
  g_level = *parsed;
  g_format = format;
  spdlog::apply_all([](std::shared_ptr<spdlog::logger> logger) { apply(*logger); });
  return {};
}

std::shared_ptr<spdlog::logger> get(std::string_view subsystem) {
  std::lock_guard lock(g_mutex);
  std::string name(subsystem);
  if (auto existing = spdlog::get(name)) return existing;
  auto logger =
      std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  apply(*logger);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace constellation::log
