// `constellation doctor [AGENT-OPTION...]`: local checks an operator runs first when
// something is wrong: configuration, data directory, secrets permissions, the agent's API and
// the journal file. Each check is ok, warn or fail; any fail makes the exit status 1.
#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "console/commands/local_config.hpp"
#include "console/render/format.hpp"
#include "shared/api_paths.hpp"

namespace constellation::console::commands {
namespace {

namespace fs = std::filesystem;

struct Check {
  std::string name;
  std::string result;  ///< "ok", "warn" or "fail"
  std::string message;
};

Check check_data_dir(const config::Config& config) {
  const std::string& dir = config.data_dir;
  std::error_code ec;
  if (fs::is_directory(dir, ec)) {
    if (::access(dir.c_str(), W_OK) == 0) return {"data_dir", "ok", dir + " is writable"};
    return {"data_dir", "fail",
            dir + " is not writable by this user (run as the agent's user, or chown it)"};
  }
  if (fs::exists(dir, ec))
    return {"data_dir", "fail", dir + " exists but is not a directory (set --data-dir)"};
  fs::path parent = fs::path(dir).parent_path();
  while (!parent.empty() && !fs::exists(parent, ec) && parent != parent.root_path())
    parent = parent.parent_path();
  if (!parent.empty() && ::access(parent.c_str(), W_OK) == 0)
    return {"data_dir", "warn", dir + " does not exist yet; the agent will create it"};
  return {"data_dir", "fail",
          dir + " does not exist and cannot be created under " + parent.string() +
              " (create it or set --data-dir)"};
}

Check check_secrets(const config::Config& config) {
  const std::string& dir = config.secrets_path;
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0)
    return {"secrets", "warn",
            dir + " does not exist: mutating API calls over TCP will be refused (create " + dir +
                "/api-token, mode 600, or use the unix socket)"};
  if (info.st_mode & (S_IRGRP | S_IROTH))
    return {"secrets", "fail",
            dir + " is readable by group or others (run: chmod 700 " + dir + ")"};
  std::string token_path = dir + "/api-token";
  auto token = config::read_secret(token_path);
  if (token) return {"secrets", "ok", token_path + " exists with safe permissions"};
  if (token.error().code == ErrorCode::not_found)
    return {"secrets", "warn",
            "no " + token_path +
                ": mutating API calls over TCP will be refused (create it, mode "
                "600, or use the unix socket)"};
  return {"secrets", "fail", token.error().message};
}

Check check_agent(Context& context, const std::string& address) {
  auto client = context.make_client ? context.make_client(address, context.token_file)
                                    : Result<std::unique_ptr<ApiClient>>(
                                          fail(ErrorCode::internal, "no API client configured"));
  if (!client) return {"agent", "fail", client.error().message};
  auto response = (*client)->send("GET", api_paths::health, nullptr);
  if (!response) return {"agent", "fail", response.error().message};
  const auto& body = response->body;
  std::string who = body.is_object() ? "node " + body.value("node", "?") + ", version " +
                                           body.value("version", "?")
                                     : "no JSON body";
  if (response->status == 200)
    return {"agent", "ok", "answers /health at " + address + " (" + who + ")"};
  std::string problems;
  if (body.is_object() && body.contains("problems") && body["problems"].is_array())
    for (const auto& problem : body["problems"])
      problems += (problems.empty() ? "" : "; ") +
                  (problem.is_string() ? problem.get<std::string>() : problem.dump());
  if (response->status == 503)
    return {
        "agent", "warn",
        "degraded at " + address + " (" + who + ")" + (problems.empty() ? "" : ": " + problems)};
  return {"agent", "fail", error_from_response(*response).message};
}

Check check_journal(const config::Config& config) {
  fs::path path = fs::path(config.data_dir) / "journal.db";
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (!ec)
    return {"journal", "ok",
            path.string() + " present (" + format_bytes(static_cast<std::int64_t>(size)) + ")"};
  return {"journal", "warn",
          path.string() + " not found (the agent creates it on first start; is --data-dir right?)"};
}

std::vector<Check> run_checks(Context& context, const ParsedArgs& args) {
  std::vector<Check> checks;
  auto loaded = load_local_config(context, args.positional);
  if (!loaded) {
    checks.push_back({"config", "fail", loaded.error().message});
  } else {
    const auto& file = loaded->config.config_file;
    checks.push_back(
        {"config", "ok", "configuration loads (" + (file.empty() ? "no file" : file) + ")"});
    checks.push_back(check_data_dir(loaded->config));
    checks.push_back(check_secrets(loaded->config));
  }
  std::string address = context.agent_address;
  if (!context.agent_address_given && loaded) address = loaded->config.socket_path;
  checks.push_back(check_agent(context, address));
  if (loaded) checks.push_back(check_journal(loaded->config));
  return checks;
}

int exec_doctor(Context& context, const ParsedArgs& args) {
  auto checks = run_checks(context, args);
  bool failed = false;
  nlohmann::json json = nlohmann::json::array();
  Table table{.columns = {"check", "result", "message"}, .rows = {}};
  for (const Check& check : checks) {
    failed = failed || check.result == "fail";
    json.push_back({{"name", check.name}, {"result", check.result}, {"message", check.message}});
    table.rows.push_back({check.name, check.result, check.message});
  }
  if (context.format == OutputFormat::json)
    print_json(context, {{"checks", json}});
  else
    context.out << render_table(table);
  return failed ? exit_codes::failed : exit_codes::ok;
}

}  // namespace

const CommandSpec kDoctor{
    .name = "doctor",
    .summary = "check configuration, data dir, secrets permissions, the agent's API and journal",
    .mode = ArgsMode::passthrough,
    .agent_options = true,
    .examples =
        "constellation doctor\n"
        "constellation doctor --data-dir /var/lib/constellation -o json",
    .exec = exec_doctor,
};

}  // namespace constellation::console::commands
