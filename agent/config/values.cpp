// Typed option values: parsing text (or a file's list) into a Config field, rendering it back
// for `config show`, and comparing two configs field by field. Every layer goes through
// assign(), so "64MiB" means the same thing in the file, the environment and a flag.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdint>
#include <type_traits>

#include "agent/config/option_rows.hpp"
#include "shared/duration.hpp"
#include "shared/strings.hpp"

namespace constellation::config {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t scale;
};
constexpr Unit kUnits[] = {
    {"TiB", 1ll << 40},
    {"GiB", 1ll << 30},
    {"MiB", 1ll << 20},
    {"KiB", 1ll << 10},
    {"TB", 1'000'000'000'000},
    {"GB", 1'000'000'000},
    {"MB", 1'000'000},
    {"KB", 1'000},
    {"B", 1},
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<std::int64_t> parse_bytes(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return fail(ErrorCode::invalid_argument, "invalid size '" + std::string(text) +
                                                 "': " + std::string(why) +
                                                 " (use e.g. 65536, 64KiB, 64MiB, 1GiB or 64MB)");
  };
  std::string_view trimmed = trim(text);
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), number);
  if (ec == std::errc::result_out_of_range) return bad("too large");
  if (ec != std::errc{} || number < 0) return bad("expected a number");
  std::string_view unit = trim(std::string_view(end, trimmed.data() + trimmed.size()));
  if (unit.empty()) return number;
  for (const auto& candidate : kUnits) {
    if (unit != candidate.name) continue;
    if (number > INT64_MAX / candidate.scale) return bad("too large");
    return number * candidate.scale;
  }
  return bad("unknown unit '" + std::string(unit) + "'");
}

std::string format_bytes(std::int64_t bytes) {
  for (const auto& unit : kUnits) {
    if (unit.name.find('i') == std::string_view::npos) continue;  // binary units only
    if (bytes != 0 && bytes % unit.scale == 0)
      return std::to_string(bytes / unit.scale) + std::string(unit.name);
  }
  return std::to_string(bytes);
}

Result<bool> parse_bool(std::string_view text) {
  std::string word = lower(trim(text));
  if (word == "true" || word == "yes" || word == "on" || word == "1") return true;
  if (word == "false" || word == "no" || word == "off" || word == "0") return false;
  return fail(ErrorCode::invalid_argument,
              "invalid boolean '" + std::string(text) + "' (use true or false)");
}

namespace detail {
namespace {

constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
constexpr std::string_view kFormats[] = {"text", "json"};

std::string render_duration(std::chrono::milliseconds value) {
  std::string text = format_duration(value);
  auto back = parse_duration(text);  // format_duration rounds 1500ms to "1s"; stay exact
  return back && *back == value ? text : std::to_string(value.count()) + "ms";
}

std::string render_number(const OptionRow& row, std::int64_t value) {
  if (row.kind == Kind::bytes) return format_bytes(value);
  if (row.kind == Kind::duration) return render_duration(std::chrono::milliseconds(value));
  return std::to_string(value);
}

Status check_range(const OptionRow& row, std::int64_t value) {
  if (row.min == 0 && row.max == 0) return {};
  if (value >= row.min && value <= row.max) return {};
  return fail(ErrorCode::bad_config,
              "'" + render_number(row, value) + "' is out of range (expected " +
                  render_number(row, row.min) + " to " + render_number(row, row.max) + ")");
}

template <std::size_t N>
Status check_name(std::string_view what, const std::string& value,
                  const std::string_view (&names)[N]) {
  for (auto name : names)
    if (value == name) return {};
  std::string expected;
  for (std::size_t i = 0; i < N; ++i)
    expected += (i ? (i + 1 == N ? " or " : ", ") : "") + std::string(names[i]);
  return fail(ErrorCode::bad_config,
              "unknown " + std::string(what) + " '" + value + "' (expected " + expected + ")");
}

Result<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
    return fail(ErrorCode::bad_config,
                "'" + std::string(text) + "' is not a whole number (expected e.g. 16)");
  return value;
}

std::vector<std::string> parse_list(const RawValue& raw) {
  std::vector<std::string> items;
  auto add = [&](std::string_view item) {
    if (!trim(item).empty()) items.emplace_back(trim(item));
  };
  if (const auto* list = std::get_if<std::vector<std::string>>(&raw)) {
    for (const auto& item : *list) add(item);
  } else {
    for (const auto& item : split(std::get<std::string>(raw), ',')) add(item);
  }
  return items;
}

/// Parses scalar text into the field's C++ type; the reason is the whole error message.
Status assign_scalar(const OptionRow& row, Config& config, std::string_view text) {
  auto as_bad_config = [](const Error& e) { return fail(ErrorCode::bad_config, e.message); };
  switch (row.kind) {
    case Kind::string:
    case Kind::path:
    case Kind::level:
    case Kind::format:
      config.*std::get<std::string Config::*>(row.field) = std::string(trim(text));
      return {};
    case Kind::endpoint: {
      auto fallback = parse_endpoint(row.spec.default_text, "");
      auto parsed = parse_endpoint(trim(text), fallback ? fallback->host : "0.0.0.0");
      if (!parsed) return as_bad_config(parsed.error());
      config.*std::get<Endpoint Config::*>(row.field) = *parsed;
      return {};
    }
    case Kind::boolean: {
      auto parsed = parse_bool(text);
      if (!parsed) return as_bad_config(parsed.error());
      config.*std::get<bool Config::*>(row.field) = *parsed;
      return {};
    }
    case Kind::duration: {
      auto parsed = parse_duration(trim(text));
      if (!parsed) return as_bad_config(parsed.error());
      config.*std::get<std::chrono::milliseconds Config::*>(row.field) = *parsed;
      return {};
    }
    case Kind::bytes: {
      auto parsed = parse_bytes(text);
      if (!parsed) return as_bad_config(parsed.error());
      config.*std::get<std::int64_t Config::*>(row.field) = *parsed;
      return {};
    }
    case Kind::integer: {
      auto parsed = parse_integer(trim(text));
      if (!parsed) return std::unexpected(parsed.error());
      // Clamp before narrowing so an absurd value still fails the range check, not wraps.
      std::int64_t clamped = std::clamp<std::int64_t>(*parsed, INT_MIN, INT_MAX);
      config.*std::get<int Config::*>(row.field) = static_cast<int>(clamped);
      return {};
    }
    case Kind::list:
      break;  // handled by assign()
  }
  return fail(ErrorCode::internal, "option '" + std::string(row.spec.key) + "' has no parser");
}

}  // namespace

Status assign(const OptionRow& row, Config& config, const RawValue& raw) {
  if (row.kind == Kind::list) {
    config.*std::get<std::vector<std::string> Config::*>(row.field) = parse_list(raw);
    return {};
  }
  if (std::holds_alternative<std::vector<std::string>>(raw))
    return fail(ErrorCode::bad_config,
                "expected a single " + std::string(row.spec.type) + " value, got a list");
  if (auto stored = assign_scalar(row, config, std::get<std::string>(raw)); !stored) return stored;
  return check(row, config);
}

Status assign_port(const OptionRow& row, Config& config, std::string_view text) {
  auto port = parse_integer(trim(text));
  if (!port || *port < 0 || *port > 65535)
    return fail(ErrorCode::bad_config,
                "'" + std::string(text) + "' is not a port number (expected 0 to 65535)");
  (config.*std::get<Endpoint Config::*>(row.field)).port = static_cast<std::uint16_t>(*port);
  return {};
}

Status check(const OptionRow& row, const Config& config) {
  return std::visit(
      [&](auto member) -> Status {
        const auto& value = config.*member;
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (row.kind == Kind::level) return check_name("log level", value, kLevels);
          if (row.kind == Kind::format) return check_name("log format", value, kFormats);
          return {};
        } else if constexpr (std::is_same_v<T, std::chrono::milliseconds>) {
          return check_range(row, value.count());
        } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, int>) {
          return check_range(row, value);
        } else {
          return {};
        }
      },
      row.field);
}

std::string render(const OptionRow& row, const Config& config) {
  return std::visit(
      [&](auto member) -> std::string {
        const auto& value = config.*member;
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::string>)
          return value;
        else if constexpr (std::is_same_v<T, Endpoint>)
          return value.to_string();
        else if constexpr (std::is_same_v<T, std::vector<std::string>>)
          return join(value, ",");
        else if constexpr (std::is_same_v<T, bool>)
          return value ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::chrono::milliseconds>)
          return render_duration(value);
        else
          return render_number(row, value);
      },
      row.field);
}

std::string shown_value(const OptionRow& row, const Config& config) {
  if (!row.spec.secret) return render(row, config);
  return render(row, config).empty() ? "(secret)" : "(set)";
}

bool same_value(const OptionRow& row, const Config& a, const Config& b) {
  return std::visit([&](auto member) { return a.*member == b.*member; }, row.field);
}

}  // namespace detail
}  // namespace constellation::config
