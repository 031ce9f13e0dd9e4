// `constellation doctor [AGENT-OPTION...]`: local checks an operator runs first when
// something is wrong: configuration, data directory, secrets permissions, the agent's API,
// listening ports, the Docker endpoint (and the agent's own Docker problems) and the journal. Each
// check is ok, warn or fail; any fail makes the exit status 1.
#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "console/commands/local_config.hpp"
#include "console/commands/local_probes.hpp"
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

/// Every listener the agent opens: free, or held by the running agent, is fine; held by
/// another process is a failure naming the option that moves it.
std::vector<Check> check_ports(const config::Config& config, bool agent_running) {
  struct Listener {
    std::string_view option;
    const config::Endpoint& endpoint;
    bool udp_too;
  };
  const Listener listeners[] = {{"api", config.api, false},
                                {"gossip", config.gossip, true},
                                {"raft", config.raft, false},
                                {"provider", config.provider, false}};
  std::vector<Check> checks;
  for (const auto& listener : listeners) {
    const std::string name = "port:" + std::string(listener.option);
    const std::string where = listener.endpoint.to_string();
    if (listener.endpoint.port == 0) {
      checks.push_back({name, "ok", "port 0: the agent picks a free port"});
      continue;
    }
    auto probe = probe_bind(listener.endpoint, false);
    if (probe == BindProbe::free && listener.udp_too) probe = probe_bind(listener.endpoint, true);
    switch (probe) {
      case BindProbe::free:
        checks.push_back({name, "ok", where + " is free"});
        break;
      case BindProbe::in_use:
        if (agent_running)
          checks.push_back({name, "ok", where + " is in use (the agent is running)"});
        else
          checks.push_back({name, "fail",
                            where + " is in use by another process (stop it or set --" +
                                std::string(listener.option) + ")"});
        break;
      case BindProbe::bad_address:
        checks.push_back({name, "fail",
                          where + " is not an address of this host (set --" +
                              std::string(listener.option) + ")"});
        break;
      case BindProbe::not_permitted:
        checks.push_back(
            {name, "warn",
             "cannot test " + where +
                 " as this user (ports below 1024 need root or CAP_NET_BIND_SERVICE)"});
        break;
    }
  }
  return checks;
}

/// Problems the running agent reports about Docker in /health ("docker: ..."), if it answers.
std::vector<std::string> agent_docker_problems(Context& context, const std::string& address) {
  std::vector<std::string> out;
  if (!context.make_client) return out;
  auto client = context.make_client(address, context.token_file);
  if (!client) return out;
  auto response = (*client)->send("GET", api_paths::health, nullptr);
  if (!response || !response->body.is_object()) return out;
  for (const auto& problem : response->body.value("problems", nlohmann::json::array()))
    if (problem.is_string() && problem.get<std::string>().starts_with("docker: "))
      out.push_back(problem.get<std::string>().substr(8));
  return out;
}

/// The Docker endpoint the agent monitors (docker_host: the option, else DOCKER_HOST, else the
/// default socket), and what the running agent itself says about it.
Check check_docker(Context& context, const config::Config* config,
                   const std::vector<std::string>& agent_problems) {
  if (config && !config->docker)
    return {"docker", "ok", "container monitoring is off (docker=false)"};
  std::string endpoint = config ? config->docker_host : "";
  if (!config) {
    if (context.getenv)
      endpoint = context.getenv("DOCKER_HOST").value_or("");
    else if (const char* value = std::getenv("DOCKER_HOST"))
      endpoint = value;
  }
  if (endpoint.empty()) endpoint = "unix:///var/run/docker.sock";
  std::string agent_says;
  for (const auto& problem : agent_problems)
    agent_says += (agent_says.empty() ? "; the agent reports: " : "; ") + problem;
  std::string path = endpoint;
  if (endpoint.starts_with("unix://")) {
    path = endpoint.substr(7);
  } else if (!endpoint.starts_with("/")) {
    return {"docker", agent_problems.empty() ? "warn" : "fail",
            "docker_host " + endpoint + " is not a unix socket; not probed" + agent_says};
  }
  switch (probe_unix_socket(path)) {
    case SocketProbe::accepts:
      if (!agent_problems.empty())
        return {"docker", "warn", path + " accepts connections" + agent_says};
      return {"docker", "ok", path + " accepts connections"};
    case SocketProbe::missing:
      return {"docker", "warn",
              "no Docker socket at " + path +
                  " (install and start docker, or set docker_host / DOCKER_HOST; container "
                  "monitoring needs it, or turn it off with docker=false)" +
                  agent_says};
    case SocketProbe::not_a_socket:
      return {"docker", "fail",
              path + " exists but is not a socket (check docker_host / DOCKER_HOST)" + agent_says};
    case SocketProbe::permission_denied:
      return {"docker", "fail",
              "permission denied on " + path +
                  " (run the agent as root or add its user to the docker group)" + agent_says};
    case SocketProbe::refused:
      return {"docker", "fail", path + " refuses connections: is dockerd running?" + agent_says};
  }
  return {"docker", "fail", "unreachable"};
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
  if (loaded) {
    const bool agent_running = checks.back().result != "fail";
    for (auto& check : check_ports(loaded->config, agent_running))
      checks.push_back(std::move(check));
    checks.push_back(check_journal(loaded->config));
  }
  std::vector<std::string> docker_problems;
  if (std::ranges::any_of(checks,
                          [](const Check& c) { return c.name == "agent" && c.result != "fail"; }))
    docker_problems = agent_docker_problems(context, address);
  checks.push_back(check_docker(context, loaded ? &loaded->config : nullptr, docker_problems));
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
    .summary = "check configuration, data dir, secrets, the agent's API, ports, Docker, journal",
    .mode = ArgsMode::passthrough,
    .agent_options = true,
    .examples =
        "constellation doctor\n"
        "constellation doctor --data-dir /var/lib/constellation -o json",
    .exec = exec_doctor,
};

}  // namespace constellation::console::commands
