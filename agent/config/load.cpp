// load(): defaults <- config file <- environment <- flags, each layer through the option
// table's assign(), every option's origin recorded, then validation. Works on a local Config
// so a failure anywhere leaves nothing half-applied.
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "agent/config/file_parse.hpp"
#include "agent/config/option_rows.hpp"
#include "shared/strings.hpp"

namespace constellation::config {
namespace detail {
namespace {

constexpr std::string_view kConfigKey = "config";

std::string system_hostname() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name) != 0) return "";
  name[HOST_NAME_MAX] = '\0';
  return name;
}

/// Prefixes a layer's error with where the value came from and the option key. A secret
/// option's reason is replaced because parser messages quote the value.
Error located(const Origin& origin, const OptionRow& row, const Error& error) {
  std::string reason =
      row.spec.secret ? "invalid value (not shown: the option is secret)" : error.message;
  return Error{ErrorCode::bad_config,
               where(origin) + "option '" + std::string(row.spec.key) + "': " + reason};
}

struct Layering {
  Config config;
  std::map<std::string, Origin> origins;
};

Status apply_defaults(Layering& layers, const LoadInputs& inputs) {
  for (const auto& row : rows()) {
    layers.origins[std::string(row.spec.key)] = Origin{};
    if (row.spec.key == kConfigKey) continue;  // set from the file actually read
    if (row.default_is_hostname) {
      layers.config.*std::get<std::string Config::*>(row.field) =
          inputs.hostname ? inputs.hostname() : system_hostname();
      continue;
    }
    if (auto ok = assign(row, layers.config, std::string(row.spec.default_text)); !ok)
      return std::unexpected(located(Origin{}, row, ok.error()));
  }
  return {};
}

/// Which file to read: the last --config, else CONFIG_PATH, else the default.
struct FileChoice {
  std::string path;
  Origin origin;  ///< default_value when neither flag nor environment named one
};

FileChoice choose_file(const ParsedArgs& args, const LoadInputs& inputs) {
  const OptionRow* row = find_by_key(kConfigKey);
  FileChoice choice{inputs.default_config_file, Origin{}};
  if (inputs.getenv) {
    if (auto value = inputs.getenv(std::string(row->spec.env)); value && !value->empty())
      choice = {*value, Origin{Source::env, std::string(row->spec.env), 0}};
  }
  for (const auto& flag : args.flags)
    if (flag.row == row) choice = {flag.value, Origin{Source::flag, flag.spelling, 0}};
  return choice;
}

Status apply_file(Layering& layers, const FileChoice& choice) {
  const bool explicit_file = choice.origin.source != Source::default_value;
  if (choice.path.empty()) {
    if (explicit_file)
      return fail(ErrorCode::bad_config, where(choice.origin) + "config file path is empty");
    return {};
  }
  auto entries = read_config_file(choice.path);
  if (!entries) {
    if (entries.error().code == ErrorCode::not_found && !explicit_file) return {};
    std::string message = entries.error().message;
    if (explicit_file) message = where(choice.origin) + message;
    return fail(ErrorCode::bad_config, message);
  }
  layers.config.config_file = choice.path;
  layers.origins[std::string(kConfigKey)] = choice.origin;
  const auto keys = all_keys();
  for (const auto& entry : *entries) {
    Origin origin{Source::file, choice.path, entry.line};
    const OptionRow* row = find_by_key(entry.key);
    if (row == nullptr) {
      std::string suggestion = closest_match(entry.key, keys);
      return fail(ErrorCode::bad_config,
                  where(origin) + "unknown key '" + entry.key + "'" +
                      (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"));
    }
    if (row->spec.key == kConfigKey)
      return fail(ErrorCode::bad_config,
                  where(origin) +
                      "'config' cannot be set inside the config file (use --config "
                      "or CONFIG_PATH)");
    if (auto ok = assign(*row, layers.config, entry.value); !ok)
      return std::unexpected(located(origin, *row, ok.error()));
    layers.origins[entry.key] = origin;
  }
  return {};
}

Status apply_env(Layering& layers, const LoadInputs& inputs) {
  if (!inputs.getenv) return {};
  for (const auto& row : rows()) {
    if (row.spec.env.empty() || row.spec.key == kConfigKey) continue;
    auto value = inputs.getenv(std::string(row.spec.env));
    if (!value || value->empty()) continue;  // empty counts as unset
    Origin origin{Source::env, std::string(row.spec.env), 0};
    auto ok = row.env_sets_port ? assign_port(row, layers.config, *value)
                                : assign(row, layers.config, *value);
    if (!ok) return std::unexpected(located(origin, row, ok.error()));
    layers.origins[std::string(row.spec.key)] = origin;
  }
  return {};
}

Status apply_flags(Layering& layers, const ParsedArgs& args) {
  // A repeatable list flag replaces the lower layers' list once, then each occurrence adds.
  std::map<const OptionRow*, std::vector<std::string>> lists;
  for (const auto& flag : args.flags) {
    const OptionRow& row = *flag.row;
    if (row.spec.key == kConfigKey) continue;  // chose the file already
    Origin origin{Source::flag, flag.spelling, 0};
    if (row.kind == Kind::list) {
      auto& items = lists[&row];
      for (const auto& item : split(flag.value, ',')) items.push_back(item);
      if (auto ok = assign(row, layers.config, items); !ok)
        return std::unexpected(located(origin, row, ok.error()));
    } else if (auto ok = assign(row, layers.config, flag.value); !ok) {
      return std::unexpected(located(origin, row, ok.error()));
    }
    layers.origins[std::string(row.spec.key)] = origin;
  }
  return {};
}

}  // namespace

std::string where(const Origin& origin) {
  switch (origin.source) {
    case Source::default_value:
      return "default value: ";
    case Source::file:
      return origin.line > 0 ? origin.detail + ": line " + std::to_string(origin.line) + ": "
                             : origin.detail + ": ";
    case Source::env:
      return "environment variable " + origin.detail + ": ";
    case Source::flag:
      return "flag " + origin.detail + ": ";
  }
  return "";
}

}  // namespace detail

std::string origin_text(const Origin& origin) {
  switch (origin.source) {
    case Source::default_value:
      return "default";
    case Source::file:
      return "file:" + origin.detail + (origin.line > 0 ? ":" + std::to_string(origin.line) : "");
    case Source::env:
      return "env:" + origin.detail;
    case Source::flag:
      return "flag:" + origin.detail;
  }
  return "default";
}

Result<Loaded> load(const LoadInputs& inputs) {
  using namespace detail;
  auto args = parse_args(inputs.args);
  if (!args) return std::unexpected(args.error());
  Layering layers;
  if (auto ok = apply_defaults(layers, inputs); !ok) return std::unexpected(ok.error());
  if (auto ok = apply_file(layers, choose_file(*args, inputs)); !ok)
    return std::unexpected(ok.error());
  if (auto ok = apply_env(layers, inputs); !ok) return std::unexpected(ok.error());
  if (auto ok = apply_flags(layers, *args); !ok) return std::unexpected(ok.error());
  if (auto ok = validate(layers.config, layers.origins); !ok) return std::unexpected(ok.error());
  return Loaded{std::move(layers.config), std::move(layers.origins), std::move(args->positional)};
}

LoadInputs inputs_from_process(std::vector<std::string> args) {
  LoadInputs inputs;
  inputs.args = std::move(args);
  inputs.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  return inputs;
}

}  // namespace constellation::config
