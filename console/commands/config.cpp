// `constellation config show|check`: the agent's effective configuration with where each
// value came from, and validation with the agent's own loader (exit 78 when invalid).
#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "console/commands/local_config.hpp"

namespace constellation::console::commands {
namespace {

std::string file_label(const config::Loaded& loaded) {
  return loaded.config.config_file.empty() ? "no file, defaults and environment only"
                                           : loaded.config.config_file;
}

int exec_show(Context& context, const ParsedArgs& args) {
  auto loaded = load_local_config(context, args.positional);
  if (!loaded) return report(context, loaded.error());
  auto rows = config::show(*loaded);
  if (context.format == OutputFormat::json) {
    nlohmann::json options = nlohmann::json::array();
    for (const auto& row : rows)
      options.push_back({{"key", row.key},
                         {"value", row.value},
                         {"source", row.source},
                         {"reloadable", row.reloadable}});
    print_json(context, {{"config_file", loaded->config.config_file}, {"options", options}});
    return exit_codes::ok;
  }
  Table table{.columns = {"key", "value", "source", "reloadable"}, .rows = {}};
  for (const auto& row : rows)
    table.rows.push_back({row.key, row.value, row.source, row.reloadable ? "yes" : "no"});
  context.out << render_table(table);
  return exit_codes::ok;
}

int exec_check(Context& context, const ParsedArgs& args) {
  auto loaded = load_local_config(context, args.positional);
  if (context.format == OutputFormat::json) {
    nlohmann::json out = {{"ok", loaded.has_value()}};
    if (loaded) out["config_file"] = loaded->config.config_file;
    if (!loaded)
      out["error"] = {{"code", error_code_name(loaded.error().code)},
                      {"message", loaded.error().message}};
    print_json(context, out);
    return loaded ? exit_codes::ok : exit_code(loaded.error().code);
  }
  if (!loaded) return report(context, loaded.error());
  context.out << "configuration OK (" << file_label(*loaded) << ")\n";
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kConfigShow{
    .name = "config show",
    .summary = "print the agent's effective configuration and the source of each value",
    .mode = ArgsMode::passthrough,
    .agent_options = true,
    .examples =
        "constellation config show\n"
        "constellation config show --config /etc/constellation/config.yaml -o json",
    .exec = exec_show,
};

const CommandSpec kConfigCheck{
    .name = "config check",
    .summary = "validate the agent's configuration (exit 78 when invalid)",
    .mode = ArgsMode::passthrough,
    .agent_options = true,
    .examples = "constellation config check --config /etc/constellation/config.yaml",
    .exec = exec_check,
};

}  // namespace constellation::console::commands
