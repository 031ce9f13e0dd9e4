// The agent's configuration: one typed struct, filled from the option table in options.cpp
// by layering defaults <- config file (YAML or JSON) <- environment <- command-line flags.
// Loading is pure (environment and files come in through LoadInputs) so tests can drive it.
// Nothing here keeps state: every function may be called from any thread; load() and the
// secret readers do blocking file reads, so the agent calls them off its event loop or at start.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "shared/error.hpp"

namespace constellation::config {

/// host:port as typed by the operator. Port 0 means "pick a free port" (tests).
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string to_string() const;  ///< "127.0.0.1:8080", "[::1]:8080"
};
/// Parses "HOST:PORT", ":PORT" (host defaults to `default_host`) or "[v6]:PORT" (the host is
/// stored without brackets). Errors are invalid_argument naming the input and the fix.
Result<Endpoint> parse_endpoint(std::string_view text, std::string_view default_host);
bool operator==(const Endpoint& a, const Endpoint& b);

/// Parses a byte size: "65536", "64KiB", "64MiB", "1GiB", "1TiB" (powers of 1024) or "64KB",
/// "64MB", "1GB" (powers of 1000). Errors are invalid_argument naming the input.
Result<std::int64_t> parse_bytes(std::string_view text);
/// Formats a byte size exactly: "64MiB" when divisible, else the plain number.
std::string format_bytes(std::int64_t bytes);
/// Parses true/false/yes/no/on/off/1/0 (case-insensitive).
Result<bool> parse_bool(std::string_view text);

/// Every setting of the agent. Field comments name the option key; options.cpp is the table
/// with env vars, flags, defaults and help.
struct Config {
  std::string config_file;   ///< "config": file that was read ("" if none)
  std::string node;          ///< "node": TS_HOSTNAME, else the host name
  std::string data_dir;      ///< "data_dir": DATA_DIR, default /var/lib/constellation
  std::string secrets_path;  ///< "secrets_path": SECRETS_PATH, default /etc/constellation/secrets
  std::string domain;        ///< "domain": DOMAIN
  std::string public_ip;     ///< "public_ip": PUBLIC_IP
  std::string cloudflare_zone_id;  ///< "cloudflare_zone_id": CLOUDFLARE_ZONE_ID
  Endpoint api;                    ///< "api": default 127.0.0.1:8080 (API_PORT sets the port)
  std::string socket_path;         ///< "socket": default /run/constellation/agent.sock
  Endpoint gossip;                 ///< "gossip": default 0.0.0.0:7946 (GOSSIP_PORT)
  Endpoint raft;                   ///< "raft": default 0.0.0.0:8300 (RAFT_PORT)
  Endpoint provider;               ///< "provider": default 0.0.0.0:8081 (PROVIDER_PORT)
  std::vector<std::string> join;   ///< "join": repeatable --join ADDR
  bool bootstrap = false;          ///< "bootstrap"
  bool raft_enabled = false;       ///< "raft_enabled": run the consensus group
  int raft_voters = 3;             ///< "raft_voters": odd, 1..7
  std::chrono::milliseconds raft_dead_voter_grace{
      std::chrono::seconds(30)};                    ///< "raft_dead_voter_grace"
  std::vector<std::string> raft_initial_voters;     ///< "raft_initial_voters": NODE=HOST:PORT
  std::vector<std::string> leases;                  ///< "leases": NAME:CAPABILITY:TTL entries
  std::chrono::milliseconds lease_drift_margin{0};  ///< "lease_drift_margin": 0 = TTL/10
  std::string gossip_profile = "fast";              ///< "gossip_profile": fast|lan timing
  std::string gossip_keyring;              ///< "gossip_keyring": secret file of base64 keys
  std::vector<std::string> gossip_timing;  ///< "gossip_timing": NAME=VALUE timer overrides
  int gossip_max_payload = 1232;           ///< "gossip_max_payload": UDP payload cap in bytes
  int priority = 0;                        ///< "priority": 0 = from the name (10 or 50)
  std::vector<std::string> capabilities;   ///< "capabilities": lb, dns
  std::string gossip_advertise;    ///< "gossip_advertise": HOST[:PORT] peers use ("" = derived)
  std::string discovery = "none";  ///< "discovery": none|tailscale
  std::string tailscale_socket = "/var/run/tailscale/tailscaled.sock";  ///< "tailscale_socket"
  std::string tailscale_command;       ///< "tailscale_command": CLI instead of the socket
  std::string discovery_tag;           ///< "discovery_tag": keep peers with this tag
  std::string discovery_name_pattern;  ///< "discovery_name_pattern": glob on peer names
  std::chrono::milliseconds discovery_interval{std::chrono::seconds(60)};  ///< "discovery_interval"
  int discovery_port = 0;           ///< "discovery_port": peers' gossip port (0 = our own)
  std::string log_level = "info";   ///< "log_level" (reloadable)
  std::string log_format = "text";  ///< "log_format": text|json
  std::chrono::milliseconds journal_max_age{std::chrono::hours(24 * 30)};  ///< "journal_max_age"
  std::int64_t journal_max_bytes = 64ll << 20;  ///< "journal_max_bytes" (reloadable)
  std::int64_t api_body_limit = 1 << 20;        ///< "api_body_limit" bytes
  std::chrono::milliseconds api_request_timeout{
      std::chrono::seconds(10)};  ///< "api_request_timeout"
  int ws_queue_limit = 1024;      ///< "ws_queue_limit": messages queued per WebSocket client
  std::chrono::milliseconds cron_interval{std::chrono::milliseconds(1000)};  ///< "cron_interval"
  int worker_threads = 2;                                                    ///< "worker_threads"
  bool docker = false;  ///< "docker": run the monitor (loading applies the table default, true)
  std::string docker_host = "unix:///var/run/docker.sock";  ///< "docker_host": DOCKER_HOST
  std::chrono::milliseconds docker_reconcile_interval{
      std::chrono::seconds(10)};             ///< "docker_reconcile_interval"
  std::vector<std::string> docker_networks;  ///< "docker_networks": NAME=CIDR entries
  int repair_max_restarts = 5;               ///< "repair_max_restarts" per repair_window
  std::chrono::milliseconds repair_window{std::chrono::minutes(10)};   ///< "repair_window"
  std::chrono::milliseconds repair_backoff{std::chrono::seconds(10)};  ///< "repair_backoff"
  std::vector<std::string> public_ip_endpoints;  ///< "public_ip_endpoints": plain-text URLs
  std::string warp_trace_url;                    ///< "warp_trace_url": "" = WARP check off
  std::chrono::milliseconds warp_interval{std::chrono::seconds(30)};  ///< "warp_interval"
  std::vector<std::string> service_checks;  ///< "service_checks": NAME=URL[;interval=…] entries

  /// "raft_propose_timeout": how long propose() waits for a leader (and a forwarded answer).
  std::chrono::milliseconds raft_propose_timeout{std::chrono::seconds(5)};
};

/// Where an option's effective value came from, for `config show`.
enum class Source { default_value, file, env, flag };
struct Origin {
  Source source = Source::default_value;
  std::string detail;  ///< file path, env var name or flag spelling
  int line = 0;        ///< line in the config file (YAML only), 0 if unknown
};
/// "default", "file:/etc/constellation/config.yaml:12" (":LINE" only when known, i.e. YAML),
/// "env:API_PORT", "flag:--api".
std::string origin_text(const Origin& origin);

/// One row of the option table.
struct OptionSpec {
  std::string_view key;   ///< config-file key and canonical name, e.g. "data_dir"
  std::string_view env;   ///< environment variable, "" if none
  std::string_view flag;  ///< command-line flag without dashes, "" if none
  std::string_view type;  ///< "string", "path", "endpoint", "bool", "duration", "bytes", "int",
                          ///< "list", "level", "format"
  std::string_view default_text;  ///< as shown in docs
  bool reloadable;                ///< applied on SIGHUP without restart
  bool secret;                    ///< value is never printed
  std::string_view help;
};
std::span<const OptionSpec> option_table();

/// Everything loading needs from the outside world.
struct LoadInputs {
  std::vector<std::string> args;  ///< command-line flags after the subcommand
  std::function<std::optional<std::string>(const std::string&)> getenv;  ///< environment
  std::string default_config_file = "/etc/constellation/config.yaml";
  /// Default for "node" when TS_HOSTNAME is unset; null means gethostname().
  std::function<std::string()> hostname;
};

struct Loaded {
  Config config;
  std::map<std::string, Origin> origins;  ///< option key -> where its value came from
  std::vector<std::string> positional;    ///< non-flag arguments, for the caller to judge
};

/// Loads and validates. Flags are "--flag value" or "--flag=value"; "--" ends flags; "-h" and
/// "--help" are passed through to `positional` for the caller to act on. Empty environment
/// variables count as unset. Errors are ErrorCode::bad_config (exit 78) with a message naming the
/// file, the key and the reason, or ErrorCode::invalid_argument (exit 2) for an unknown flag.
/// A missing default config file is fine; a missing explicitly named file is an error.
Result<Loaded> load(const LoadInputs& inputs);

/// LoadInputs from the real process environment.
LoadInputs inputs_from_process(std::vector<std::string> args);

/// Reads a secret file. Refuses (bad_config) a file readable or writable by group or others,
/// saying how to fix it (chmod 600 PATH). Not found -> not_found. Trailing whitespace trimmed.
Result<std::string> read_secret(const std::string& path);
/// The API token from SECRETS_PATH/api-token, nullopt if the file does not exist.
Result<std::optional<std::string>> read_api_token(const Config& config);

/// Renders effective configuration for `config show`: one row per option, in table order.
/// `value` parses back to the same setting; secret options show "(set)" or "(secret)".
struct ShownOption {
  std::string key, value, source;
  bool reloadable;
};
std::vector<ShownOption> show(const Loaded& loaded);

/// What a SIGHUP reload would do: option keys whose value changed, split by whether the
/// running agent can apply them in place or needs a restart.
struct ReloadPlan {
  std::vector<std::string> applied, restart_required;
};
/// Compares every option of `running` and `fresh` (exact values, not their rendering).
ReloadPlan plan_reload(const Config& running, const Config& fresh);

}  // namespace constellation::config
