// THE option table: one row per Config field with its key, environment variable, flag, type,
// default, reloadability and help. Loading, `config show`, the reload plan and the man page
// (checked by a test) all come from these rows, so an option is described exactly once.
#include <algorithm>
#include <array>

#include "agent/config/option_rows.hpp"

namespace constellation::config::detail {
namespace {

using std::chrono::milliseconds;
constexpr std::int64_t kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute,
                       kDay = 24 * kHour;
constexpr std::int64_t kKiB = 1024, kMiB = kKiB * 1024, kGiB = kMiB * 1024;

// Designated initializers keep each row readable; OptionSpec::type is left empty ({}) in the
// rows and filled from `kind` below, so the two can never disagree.
constexpr auto kRows = [] {
  std::array rows{
      OptionRow{
          .spec = {.key = "config",
                   .env = "CONFIG_PATH",
                   .flag = "config",
                   .type = {},
                   .default_text = "/etc/constellation/config.yaml",
                   .reloadable = false,
                   .secret = false,
                   .help = "Configuration file to read (YAML, or JSON by .json extension or "
                           "a leading '{'). A missing default file is ignored; a missing file "
                           "named by --config or CONFIG_PATH is an error. Cannot be set "
                           "inside the file itself."},
          .kind = Kind::path,
          .field = &Config::config_file},
      OptionRow{.spec = {.key = "node",
                         .env = "TS_HOSTNAME",
                         .flag = "node",
                         .type = {},
                         .default_text = "(host name)",
                         .reloadable = false,
                         .secret = false,
                         .help = "This node's name in the cluster: 1 to 63 characters from "
                                 "A-Z a-z 0-9 - _ . and unique in the fleet. Defaults to the "
                                 "Tailscale host name, else the system host name."},
                .kind = Kind::string,
                .field = &Config::node,
                .default_is_hostname = true},
      OptionRow{.spec = {.key = "data_dir",
                         .env = "DATA_DIR",
                         .flag = "data-dir",
                         .type = {},
                         .default_text = "/var/lib/constellation",
                         .reloadable = false,
                         .secret = false,
                         .help = "Absolute directory for the agent's state: raft/ (consensus log "
                                 "and snapshots) and journal.db (event journal)."},
                .kind = Kind::path,
                .field = &Config::data_dir},
      OptionRow{.spec = {.key = "secrets_path",
                         .env = "SECRETS_PATH",
                         .flag = "secrets-path",
                         .type = {},
                         .default_text = "/etc/constellation/secrets",
                         .reloadable = false,
                         .secret = false,
                         .help = "Absolute directory holding secret files (api-token, "
                                 "cloudflare-token, gossip keyring). Each file must have mode "
                                 "0600 or stricter."},
                .kind = Kind::path,
                .field = &Config::secrets_path},
      OptionRow{.spec = {.key = "domain",
                         .env = "DOMAIN",
                         .flag = "domain",
                         .type = {},
                         .default_text = "",
                         .reloadable = false,
                         .secret = false,
                         .help = "DNS domain the cluster's services are published under "
                                 "(e.g. example.com); empty disables DNS management."},
                .kind = Kind::string,
                .field = &Config::domain},
      OptionRow{.spec = {.key = "public_ip",
                         .env = "PUBLIC_IP",
                         .flag = "public-ip",
                         .type = {},
                         .default_text = "",
                         .reloadable = false,
                         .secret = false,
                         .help = "This node's public IPv4 or IPv6 address for DNS records; empty "
                                 "means detect it."},
                .kind = Kind::string,
                .field = &Config::public_ip},
      OptionRow{.spec = {.key = "cloudflare_zone_id",
                         .env = "CLOUDFLARE_ZONE_ID",
                         .flag = "cloudflare-zone-id",
                         .type = {},
                         .default_text = "",
                         .reloadable = false,
                         .secret = false,
                         .help = "Cloudflare zone identifier of the domain (letters and digits). "
                                 "The API token is the secret file cloudflare-token."},
                .kind = Kind::string,
                .field = &Config::cloudflare_zone_id},
      OptionRow{.spec = {.key = "api",
                         .env = "API_PORT",
                         .flag = "api",
                         .type = {},
                         .default_text = "127.0.0.1:8080",
                         .reloadable = false,
                         .secret = false,
                         .help = "TCP address of the REST and WebSocket API as HOST:PORT, :PORT or "
                                 "[IPv6]:PORT. API_PORT sets only the port. Mutating requests over "
                                 "TCP need the bearer token from SECRETS_PATH/api-token."},
                .kind = Kind::endpoint,
                .field = &Config::api,
                .env_sets_port = true},
      OptionRow{.spec = {.key = "socket",
                         .env = "CONSTELLATION_SOCKET",
                         .flag = "socket",
                         .type = {},
                         .default_text = "/run/constellation/agent.sock",
                         .reloadable = false,
                         .secret = false,
                         .help = "Unix socket of the API for local use (mode 0660); an absolute "
                                 "path shorter than 108 bytes."},
                .kind = Kind::path,
                .field = &Config::socket_path},
      OptionRow{.spec = {.key = "gossip",
                         .env = "GOSSIP_PORT",
                         .flag = "gossip",
                         .type = {},
                         .default_text = "0.0.0.0:7946",
                         .reloadable = false,
                         .secret = false,
                         .help = "UDP and TCP address for gossip (memberlist protocol). "
                                 "GOSSIP_PORT sets only the port."},
                .kind = Kind::endpoint,
                .field = &Config::gossip,
                .env_sets_port = true},
      OptionRow{.spec = {.key = "raft",
                         .env = "RAFT_PORT",
                         .flag = "raft",
                         .type = {},
                         .default_text = "0.0.0.0:8300",
                         .reloadable = false,
                         .secret = false,
                         .help = "TCP address for consensus (Raft) traffic. RAFT_PORT sets only "
                                 "the port."},
                .kind = Kind::endpoint,
                .field = &Config::raft,
                .env_sets_port = true},
      OptionRow{.spec = {.key = "provider",
                         .env = "PROVIDER_PORT",
                         .flag = "provider",
                         .type = {},
                         .default_text = "0.0.0.0:8081",
                         .reloadable = false,
                         .secret = false,
                         .help = "TCP address of the Traefik HTTP provider endpoint. "
                                 "PROVIDER_PORT sets only the port."},
                .kind = Kind::endpoint,
                .field = &Config::provider,
                .env_sets_port = true},
      OptionRow{.spec = {.key = "join",
                         .env = "CONSTELLATION_JOIN",
                         .flag = "join",
                         .type = {},
                         .default_text = "",
                         .reloadable = false,
                         .secret = false,
                         .help = "Gossip addresses of existing members to join at start-up "
                                 "(HOST or HOST:PORT). A list in the file, comma-separated in "
                                 "the environment; the flag may be repeated."},
                .kind = Kind::list,
                .field = &Config::join},
      OptionRow{.spec = {.key = "bootstrap",
                         .env = "CONSTELLATION_BOOTSTRAP",
                         .flag = "bootstrap",
                         .type = {},
                         .default_text = "false",
                         .reloadable = false,
                         .secret = false,
                         .help = "Start a new cluster with this node as its first Raft voter. "
                                 "Use on exactly one node, once. The bare flag means true; "
                                 "--bootstrap=false is also accepted."},
                .kind = Kind::boolean,
                .field = &Config::bootstrap},
      OptionRow{.spec = {.key = "raft_enabled",
                         .env = "CONSTELLATION_RAFT_ENABLED",
                         .flag = "raft-enabled",
                         .type = {},
                         .default_text = "false",
                         .reloadable = false,
                         .secret = false,
                         .help = "Run the Raft consensus group on the raft address, its log "
                                 "under DATA_DIR/raft: leases, cordons and voter management. "
                                 "With bootstrap this node starts a new "
                                 "group as its only voter; other nodes wait to be added."},
                .kind = Kind::boolean,
                .field = &Config::raft_enabled},
      OptionRow{.spec = {.key = "raft_voters",
                         .env = "CONSTELLATION_RAFT_VOTERS",
                         .flag = "raft-voters",
                         .type = {},
                         .default_text = "3",
                         .reloadable = false,
                         .secret = false,
                         .help = "How many raft voters the leader keeps: the best-priority "
                                 "healthy nodes vote, the others stand by. An odd number from 1 "
                                 "to 7 (3 survives one lost voter, 5 two); fewer when fewer "
                                 "nodes run raft."},
                .kind = Kind::integer,
                .field = &Config::raft_voters,
                .min = 1,
                .max = 7},
      OptionRow{.spec = {.key = "raft_dead_voter_grace",
                         .env = "CONSTELLATION_RAFT_DEAD_VOTER_GRACE",
                         .flag = "raft-dead-voter-grace",
                         .type = {},
                         .default_text = "30s",
                         .reloadable = false,
                         .secret = false,
                         .help = "How long a voter may be down (per gossip) before the leader "
                                 "promotes a standby and removes it (1s to 1d). Long enough "
                                 "that a restart or reboot does not reshuffle voters."},
                .kind = Kind::duration,
                .field = &Config::raft_dead_voter_grace,
                .min = kSecond,
                .max = kDay},
      OptionRow{.spec = {.key = "raft_propose_timeout",
                         .env = "CONSTELLATION_RAFT_PROPOSE_TIMEOUT",
                         .flag = "raft-propose-timeout",
                         .type = {},
                         .default_text = "5s",
                         .reloadable = false,
                         .secret = false,
                         .help = "How long a change (cordon, lease) waits for a Raft leader, "
                                 "and for the leader's answer when it is forwarded from a "
                                 "follower, before it fails with 503 (100ms to 1m)."},
                .kind = Kind::duration,
                .field = &Config::raft_propose_timeout,
                .min = 100,
                .max = kMinute},
      OptionRow{.spec = {.key = "raft_initial_voters",
                         .env = "CONSTELLATION_RAFT_INITIAL_VOTERS",
                         .flag = "raft-initial-voters",
                         .type = {},
                         .default_text = "",
                         .reloadable = false,
                         .secret = false,
                         .help = "The voters of a new cluster, NODE=HOST:PORT (each node's name "
                                 "and raft address). Every node of the new cluster passes the "
                                 "same list, including itself, and they elect a leader as soon "
                                 "as a majority runs; ignored once DATA_DIR/raft holds state. "
                                 "Not with bootstrap. A list in the file, comma-separated in "
                                 "the environment; the flag may be repeated."},
                .kind = Kind::list,
                .field = &Config::raft_initial_voters},
      OptionRow{.spec = {.key = "leases",
                         .env = "CONSTELLATION_LEASES",
                         .flag = "leases",
                         .type = {},
                         .default_text = "lb-leader:lb:1200ms,dns-writer:dns:1200ms",
                         .reloadable = false,
                         .secret = false,
                         .help = "Leases the raft leader grants, NAME:CAPABILITY:TTL (a holder "
                                 "needs the capability; an empty one means any node). A holder "
                                 "renews every TTL/3 and stops acting when it has not renewed "
                                 "for TTL minus lease_drift_margin. The 1.2 s default keeps "
                                 "failover after the loss of a holder that is also the raft "
                                 "leader near 2.2 s: an election (0.5-1 s) plus the full TTL "
                                 "the new leader waits plus a commit. A list in the file, "
                                 "comma-separated in the environment; the flag may be "
                                 "repeated."},
                .kind = Kind::list,
                .field = &Config::leases},
      OptionRow{.spec = {.key = "lease_drift_margin",
                         .env = "CONSTELLATION_LEASE_DRIFT_MARGIN",
                         .flag = "lease-drift-margin",
                         .type = {},
                         .default_text = "0s",
                         .reloadable = false,
                         .secret = false,
                         .help = "How long before its grant could expire a holder stops "
                                 "acting, to absorb clock-rate differences and scheduling "
                                 "delays between nodes; 0s means a tenth of each lease's TTL. "
                                 "Must stay below two thirds of every TTL."},
                .kind = Kind::duration,
                .field = &Config::lease_drift_margin,
                .min = 0,
                .max = kHour},
      OptionRow{.spec = {.key = "gossip_profile",
                         .env = "CONSTELLATION_GOSSIP_PROFILE",
                         .flag = "gossip-profile",
                         .type = {},
                         .default_text = "fast",
                         .reloadable = false,
                         .secret = false,
                         .help = "Gossip timing: fast (probe every 400 ms, a failed node is "
                                 "declared dead in under 2 s; for small clusters) or lan "
                                 "(memberlist's LAN defaults, what serf uses)."},
                .kind = Kind::string,
                .field = &Config::gossip_profile},
      OptionRow{.spec = {.key = "gossip_timing",
                         .env = "CONSTELLATION_GOSSIP_TIMING",
                         .flag = "gossip-timing",
                         .type = {},
                         .default_text = "",
                         .reloadable = false,
                         .secret = false,
                         .help = "Overrides of single gossip timers on top of gossip_profile, "
                                 "NAME=VALUE (probe_interval=300ms, suspicion_mult=3, ...; the "
                                 "names are in constellation-agent(8)). A list in the file, "
                                 "comma-separated in the environment; the flag may be repeated."},
                .kind = Kind::list,
                .field = &Config::gossip_timing},
      OptionRow{.spec = {.key = "gossip_keyring",
                         .env = "CONSTELLATION_GOSSIP_KEYRING",
                         .flag = "gossip-keyring",
                         .type = {},
                         .default_text = "",
                         .reloadable = false,
                         .secret = false,
                         .help = "Secret file (mode 0600) of base64 AES keys, one per line, the "
                                 "first one encrypting; gossip is encrypted when set. Empty: "
                                 "plaintext gossip."},
                .kind = Kind::path,
                .field = &Config::gossip_keyring},
      OptionRow{.spec = {.key = "gossip_max_payload",
                         .env = "CONSTELLATION_GOSSIP_MAX_PAYLOAD",
                         .flag = "gossip-max-payload",
                         .type = {},
                         .default_text = "1232",
                         .reloadable = false,
                         .secret = false,
                         .help = "Largest gossip UDP payload in bytes, 512 to 65507; the default "
                                 "fits Tailscale's 1280-byte MTU."},
                .kind = Kind::integer,
                .field = &Config::gossip_max_payload,
                .min = 512,
                .max = 65507},
      OptionRow{.spec = {.key = "priority",
                         .env = "CONSTELLATION_PRIORITY",
                         .flag = "priority",
                         .type = {},
                         .default_text = "0",
                         .reloadable = false,
                         .secret = false,
                         .help = "This node's priority for leases and raft voting, 1 to 1000, "
                                 "lower preferred; 0 picks it from the name: 10 when it "
                                 "contains \"cloudserver\", else 50."},
                .kind = Kind::integer,
                .field = &Config::priority,
                .min = 0,
                .max = 1000},
      OptionRow{.spec = {.key = "capabilities",
                         .env = "CONSTELLATION_CAPABILITIES",
                         .flag = "capabilities",
                         .type = {},
                         .default_text = "lb,dns",
                         .reloadable = false,
                         .secret = false,
                         .help = "What this node may do, gossiped in its meta: lb (hold the "
                                 "load-balancer lease), dns (write DNS). A list in the file, "
                                 "comma-separated in the environment; the flag may be repeated."},
                .kind = Kind::list,
                .field = &Config::capabilities},
      OptionRow{
          .spec = {.key = "gossip_advertise",
                   .env = "CONSTELLATION_GOSSIP_ADVERTISE",
                   .flag = "gossip-advertise",
                   .type = {},
                   .default_text = "",
                   .reloadable = false,
                   .secret = false,
                   .help =
                       "Address peers use to reach this node's gossip, HOST or HOST:PORT (an IP). "
                       "Empty: the gossip bind address if it is specific, else the "
                       "Tailscale IPv4 found by discovery, else the first IPv4 of an "
                       "up interface, else 127.0.0.1 (with a warning)."},
          .kind = Kind::string,
          .field = &Config::gossip_advertise},
      OptionRow{
          .spec = {.key = "discovery",
                   .env = "CONSTELLATION_DISCOVERY",
                   .flag = "discovery",
                   .type = {},
                   .default_text = "none",
                   .reloadable = false,
                   .secret = false,
                   .help =
                       "How peers are found besides join: none, or tailscale (the online peers of "
                       "the tailnet, from tailscaled's LocalAPI or the tailscale CLI, "
                       "joined at start and every discovery_interval)."},
          .kind = Kind::string,
          .field = &Config::discovery},
      OptionRow{
          .spec = {.key = "tailscale_socket",
                   .env = "CONSTELLATION_TAILSCALE_SOCKET",
                   .flag = "tailscale-socket",
                   .type = {},
                   .default_text = "/var/run/tailscale/tailscaled.sock",
                   .reloadable = false,
                   .secret = false,
                   .help =
                       "Unix socket of tailscaled's LocalAPI read by tailscale discovery. When it "
                       "is absent, discovery runs `tailscale status --json` instead."},
          .kind = Kind::path,
          .field = &Config::tailscale_socket},
      OptionRow{
          .spec =
              {.key = "tailscale_command",
               .env = "CONSTELLATION_TAILSCALE_COMMAND",
               .flag =
                   "tailscale-command",
               .type =
                   {},
               .default_text = "",
               .reloadable =
                   false,
               .secret =
                   false,
               .help =
                   "Tailscale CLI run as `COMMAND status --json` by discovery. Empty: tailscale "
                   "from PATH, only when tailscale_socket is absent; set: always "
                   "the command, never the socket."},
          .kind = Kind::string,
          .field = &Config::tailscale_command},
      OptionRow{.spec = {.key = "discovery_tag",
                         .env = "CONSTELLATION_DISCOVERY_TAG",
                         .flag = "discovery-tag",
                         .type = {},
                         .default_text = "",
                         .reloadable = false,
                         .secret = false,
                         .help = "Tailscale discovery keeps only peers carrying this ACL tag (e.g. "
                                 "tag:constellation). Empty: no tag filter."},
                .kind = Kind::string,
                .field = &Config::discovery_tag},
      OptionRow{
          .spec = {.key = "discovery_name_pattern",
                   .env = "CONSTELLATION_DISCOVERY_NAME_PATTERN",
                   .flag = "discovery-name-pattern",
                   .type = {},
                   .default_text = "",
                   .reloadable = false,
                   .secret = false,
                   .help =
                       "Tailscale discovery keeps only peers whose host name or DNS name matches "
                       "this glob (*, ?, [...]; case-insensitive). Empty: no name filter."},
          .kind = Kind::string,
          .field = &Config::discovery_name_pattern},
      OptionRow{.spec = {.key = "discovery_interval",
                         .env = "CONSTELLATION_DISCOVERY_INTERVAL",
                         .flag = "discovery-interval",
                         .type = {},
                         .default_text = "1m",
                         .reloadable = false,
                         .secret = false,
                         .help = "How often discovery runs again after the start (1s to 1d)."},
                .kind = Kind::duration,
                .field = &Config::discovery_interval,
                .min = kSecond,
                .max = kDay},
      OptionRow{
          .spec = {.key = "discovery_port",
                   .env = "CONSTELLATION_DISCOVERY_PORT",
                   .flag = "discovery-port",
                   .type = {},
                   .default_text = "0",
                   .reloadable = false,
                   .secret = false,
                   .help = "Gossip port of discovered peers, 0 to 65535. 0: the port this node's "
                           "gossip is bound to (peers of one cluster share it)."},
          .kind = Kind::integer,
          .field = &Config::discovery_port,
          .min = 0,
          .max = 65535},
      OptionRow{.spec = {.key = "log_level",
                         .env = "LOG_LEVEL",
                         .flag = "log-level",
                         .type = {},
                         .default_text = "info",
                         .reloadable = true,
                         .secret = false,
                         .help = "Least severe log level written: trace, debug, info, warn, error "
                                 "or off."},
                .kind = Kind::level,
                .field = &Config::log_level},
      OptionRow{.spec = {.key = "log_format",
                         .env = "LOG_FORMAT",
                         .flag = "log-format",
                         .type = {},
                         .default_text = "text",
                         .reloadable = true,
                         .secret = false,
                         .help = "Log line format on stderr: text (journald adds the time) or "
                                 "json (one object per line)."},
                .kind = Kind::format,
                .field = &Config::log_format},
      OptionRow{.spec = {.key = "journal_max_age",
                         .env = "CONSTELLATION_JOURNAL_MAX_AGE",
                         .flag = "journal-max-age",
                         .type = {},
                         .default_text = "30d",
                         .reloadable = true,
                         .secret = false,
                         .help = "Event journal entries older than this are deleted (1m to "
                                 "3650d)."},
                .kind = Kind::duration,
                .field = &Config::journal_max_age,
                .min = kMinute,
                .max = 3650 * kDay},
      OptionRow{.spec = {.key = "journal_max_bytes",
                         .env = "CONSTELLATION_JOURNAL_MAX_BYTES",
                         .flag = "journal-max-bytes",
                         .type = {},
                         .default_text = "64MiB",
                         .reloadable = true,
                         .secret = false,
                         .help = "The oldest journal entries are deleted beyond this size "
                                 "(1MiB to 1TiB)."},
                .kind = Kind::bytes,
                .field = &Config::journal_max_bytes,
                .min = kMiB,
                .max = 1024 * kGiB},
      OptionRow{.spec = {.key = "api_body_limit",
                         .env = "CONSTELLATION_API_BODY_LIMIT",
                         .flag = "api-body-limit",
                         .type = {},
                         .default_text = "1MiB",
                         .reloadable = false,
                         .secret = false,
                         .help = "Largest accepted API request body; larger requests get 413 "
                                 "(1KiB to 1GiB)."},
                .kind = Kind::bytes,
                .field = &Config::api_body_limit,
                .min = kKiB,
                .max = kGiB},
      OptionRow{.spec = {.key = "api_request_timeout",
                         .env = "CONSTELLATION_API_REQUEST_TIMEOUT",
                         .flag = "api-request-timeout",
                         .type = {},
                         .default_text = "10s",
                         .reloadable = false,
                         .secret = false,
                         .help = "Time allowed to read a request and write its response "
                                 "(100ms to 1h)."},
                .kind = Kind::duration,
                .field = &Config::api_request_timeout,
                .min = 100,
                .max = kHour},
      OptionRow{.spec = {.key = "ws_queue_limit",
                         .env = "CONSTELLATION_WS_QUEUE_LIMIT",
                         .flag = "ws-queue-limit",
                         .type = {},
                         .default_text = "1024",
                         .reloadable = false,
                         .secret = false,
                         .help = "Messages queued for one WebSocket client before it is told it "
                                 "fell behind and must resync (16 to 1000000)."},
                .kind = Kind::integer,
                .field = &Config::ws_queue_limit,
                .min = 16,
                .max = 1'000'000},
      OptionRow{.spec = {.key = "cron_interval",
                         .env = "CONSTELLATION_CRON_INTERVAL",
                         .flag = "cron-interval",
                         .type = {},
                         .default_text = "1s",
                         .reloadable = false,
                         .secret = false,
                         .help = "Period of the agent's housekeeping tick (10ms to 1m)."},
                .kind = Kind::duration,
                .field = &Config::cron_interval,
                .min = 10,
                .max = kMinute},
      OptionRow{.spec = {.key = "worker_threads",
                         .env = "CONSTELLATION_WORKER_THREADS",
                         .flag = "worker-threads",
                         .type = {},
                         .default_text = "2",
                         .reloadable = false,
                         .secret = false,
                         .help = "Threads for blocking work (SQLite, Docker and Cloudflare "
                                 "requests), 1 to 64."},
                .kind = Kind::integer,
                .field = &Config::worker_threads,
                .min = 1,
                .max = 64},
      OptionRow{.spec = {.key = "docker",
                         .env = "CONSTELLATION_DOCKER",
                         .flag = "docker",
                         .type = {},
                         .default_text = "true",
                         .reloadable = false,
                         .secret = false,
                         .help = "Monitor this host's Docker containers, repair the ones labelled "
                                 "deunhealth.restart.on.unhealthy=true and keep the standard "
                                 "networks. When the engine is absent the agent keeps running and "
                                 "reports it in /health; --docker=false turns the monitor off."},
                .kind = Kind::boolean,
                .field = &Config::docker},
      OptionRow{.spec = {.key = "docker_host",
                         .env = "DOCKER_HOST",
                         .flag = "docker-host",
                         .type = {},
                         .default_text = "unix:///var/run/docker.sock",
                         .reloadable = false,
                         .secret = false,
                         .help = "Docker Engine API endpoint: unix:///PATH, an absolute socket "
                                 "path, or tcp://HOST:PORT (plain HTTP)."},
                .kind = Kind::string,
                .field = &Config::docker_host},
      OptionRow{.spec = {.key = "docker_reconcile_interval",
                         .env = "CONSTELLATION_DOCKER_RECONCILE_INTERVAL",
                         .flag = "docker-reconcile-interval",
                         .type = {},
                         .default_text = "10s",
                         .reloadable = false,
                         .secret = false,
                         .help = "Period of the full re-listing of containers that corrects any "
                                 "drift from missed events and re-checks networks (100ms to 1h)."},
                .kind = Kind::duration,
                .field = &Config::docker_reconcile_interval,
                .min = 100,
                .max = kHour},
      OptionRow{.spec = {.key = "docker_networks",
                         .env = "CONSTELLATION_DOCKER_NETWORKS",
                         .flag = "docker-networks",
                         .type = {},
                         .default_text = "backend=10.0.7.0/24,publicnet=10.76.0.0/16,"
                                         "warp-nat-net=10.0.2.0/24",
                         .reloadable = false,
                         .secret = false,
                         .help = "Bridge networks kept in place as NAME=IPv4-CIDR entries: "
                                 "created when missing, a same-named network with another subnet "
                                 "is reported and never deleted. Containers labelled "
                                 "traefik.enable=true join publicnet, network.warp.enabled=true "
                                 "warp-nat-net. An empty list leaves networks alone."},
                .kind = Kind::list,
                .field = &Config::docker_networks},
      OptionRow{.spec = {.key = "repair_max_restarts",
                         .env = "CONSTELLATION_REPAIR_MAX_RESTARTS",
                         .flag = "repair-max-restarts",
                         .type = {},
                         .default_text = "5",
                         .reloadable = false,
                         .secret = false,
                         .help = "Restarts of one unhealthy container within repair_window "
                                 "before the agent gives up on it (event repair.gave_up), 1 to "
                                 "100."},
                .kind = Kind::integer,
                .field = &Config::repair_max_restarts,
                .min = 1,
                .max = 100},
      OptionRow{.spec = {.key = "repair_window",
                         .env = "CONSTELLATION_REPAIR_WINDOW",
                         .flag = "repair-window",
                         .type = {},
                         .default_text = "10m",
                         .reloadable = false,
                         .secret = false,
                         .help = "Sliding window over which repair_max_restarts counts (1s to "
                                 "1d)."},
                .kind = Kind::duration,
                .field = &Config::repair_window,
                .min = kSecond,
                .max = kDay},
      OptionRow{.spec = {.key = "repair_backoff",
                         .env = "CONSTELLATION_REPAIR_BACKOFF",
                         .flag = "repair-backoff",
                         .type = {},
                         .default_text = "10s",
                         .reloadable = false,
                         .secret = false,
                         .help = "Wait before the second restart of an unhealthy container, "
                                 "doubling for each further one (capped at 5m); the first "
                                 "restart is immediate (100ms to 1h)."},
                .kind = Kind::duration,
                .field = &Config::repair_backoff,
                .min = 100,
                .max = kHour},
      OptionRow{.spec = {.key = "public_ip_endpoints",
                         .env = "CONSTELLATION_PUBLIC_IP_ENDPOINTS",
                         .flag = "public-ip-endpoints",
                         .type = {},
                         .default_text = "",
                         .reloadable = false,
                         .secret = false,
                         .help = "Plain-text URLs that answer with this node's public IP (e.g. "
                                 "https://api.ipify.org, https://ifconfig.me/ip), tried in order "
                                 "every 10 minutes when public_ip is empty; the first valid "
                                 "address wins. Empty: no detection."},
                .kind = Kind::list,
                .field = &Config::public_ip_endpoints},
      OptionRow{.spec = {.key = "warp_trace_url",
                         .env = "CONSTELLATION_WARP_TRACE_URL",
                         .flag = "warp-trace-url",
                         .type = {},
                         .default_text = "https://www.cloudflare.com/cdn-cgi/trace",
                         .reloadable = false,
                         .secret = false,
                         .help = "Cloudflare trace document the WARP monitor reads on nodes that "
                                 "run the warp-nat-gateway container, fetched from inside that "
                                 "container (docker exec of curl, else wget): its warp= line "
                                 "must be on or plus. Empty turns the WARP monitor off."},
                .kind = Kind::string,
                .field = &Config::warp_trace_url},
      OptionRow{.spec = {.key = "warp_interval",
                         .env = "CONSTELLATION_WARP_INTERVAL",
                         .flag = "warp-interval",
                         .type = {},
                         .default_text = "30s",
                         .reloadable = false,
                         .secret = false,
                         .help = "Period of the WARP egress check (1s to 1h)."},
                .kind = Kind::duration,
                .field = &Config::warp_interval,
                .min = kSecond,
                .max = kHour},
      OptionRow{.spec = {.key = "service_checks",
                         .env = "CONSTELLATION_SERVICE_CHECKS",
                         .flag = "service-checks",
                         .type = {},
                         .default_text = "",
                         .reloadable = false,
                         .secret = false,
                         .help = "Services that are not containers, published like containers: "
                                 "NAME=http://HOST:PORT/PATH or NAME=tcp://HOST:PORT, then "
                                 "optional ;interval=10s ;timeout=2s ;expect=200 (http: the "
                                 "status that means healthy, default any 2xx)."},
                .kind = Kind::list,
                .field = &Config::service_checks},
  };
  for (auto& row : rows) row.spec.type = kind_name(row.kind);
  return rows;
}();

constexpr auto kSpecs = [] {
  std::array<OptionSpec, kRows.size()> specs{};
  for (std::size_t i = 0; i < kRows.size(); ++i) specs[i] = kRows[i].spec;
  return specs;
}();

}  // namespace

std::span<const OptionRow> rows() {
  return kRows;
}

const OptionRow* find_by_key(std::string_view key) {
  auto it = std::ranges::find(kRows, key, [](const OptionRow& r) { return r.spec.key; });
  return it == kRows.end() ? nullptr : &*it;
}

const OptionRow* find_by_flag(std::string_view flag) {
  auto it = std::ranges::find(kRows, flag, [](const OptionRow& r) { return r.spec.flag; });
  return it == kRows.end() ? nullptr : &*it;
}

std::vector<std::string> all_keys() {
  std::vector<std::string> keys;
  for (const auto& row : kRows) keys.emplace_back(row.spec.key);
  return keys;
}

std::vector<std::string> all_flags() {
  std::vector<std::string> flags;
  for (const auto& row : kRows) flags.push_back("--" + std::string(row.spec.flag));
  return flags;
}

}  // namespace constellation::config::detail

namespace constellation::config {
std::span<const OptionSpec> option_table() {
  return detail::kSpecs;
}
}  // namespace constellation::config
