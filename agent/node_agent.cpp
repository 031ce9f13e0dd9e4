// NodeAgent: composition of the subsystems and the event path.
#include "agent/node_agent.hpp"

#include <unistd.h>
#include <filesystem>
#include <random>
#include <sstream>

#include "agent/api/api_server.hpp"
#include "agent/cluster/cluster_service.hpp"
#include "agent/cluster/node_rpc.hpp"
#include "agent/consensus/lease_manager.hpp"
#include "agent/consensus/raft_log.hpp"
#include "agent/consensus/state_machine.hpp"
#include "agent/discovery/discovery_service.hpp"
#include "agent/docker/monitor.hpp"
#include "agent/gossip/transport.hpp"
#include "agent/health/check_monitor.hpp"
#include "agent/health/egress_monitor.hpp"
#include "agent/journal/journal_service.hpp"
#include "agent/node_voters.hpp"
#include "agent/runtime/sd_notify.hpp"
#include "shared/log.hpp"
#include "shared/version.hpp"

namespace constellation::agent {
namespace {
constexpr auto kRetentionPeriod = std::chrono::minutes(5);
constexpr auto kStatusPeriod = std::chrono::seconds(10);
constexpr auto kLeaveReplyGrace = std::chrono::milliseconds(200);

runtime::Runtime::Options runtime_options(const config::Config& config) {
  runtime::Runtime::Options options;
  options.worker_threads = config.worker_threads;
  options.cron_interval = config.cron_interval;
  return options;
}
}  // namespace

NodeAgent::NodeAgent(config::Loaded loaded, std::vector<std::string> args)
    : loaded_(std::move(loaded)),
      args_(std::move(args)),
      runtime_(runtime_options(loaded_.config)) {}

NodeAgent::~NodeAgent() = default;

Status NodeAgent::run() {
  started_at_ms_ = now_ms();
  runtime_.add({"journal", [this] { return start_journal(); }, [] {}});
  runtime_.add({"api", [this] { return start_api(); }, [this] { api_->stop(); }});
  runtime_.add({"gossip", [this] { return start_gossip(); }, [this] { gossip_->stop(); }});
  runtime_.add({"consensus", [this] { return start_consensus(); }, [this] { stop_consensus(); }});
  runtime_.add({"discovery", [this] { return start_discovery(); },
                [this] {
                  if (discovery_) discovery_->stop();
                }});
  runtime_.add({"docker", [this] { return start_docker(); },
                [this] {
                  if (docker_) docker_->stop();
                }});
  runtime_.add({"egress", [this] { return start_egress(); }, [this] { egress_->stop(); }});
  runtime_.add({"checks", [this] { return start_checks(); }, [this] { checks_->stop(); }});
  runtime_.on_reload([this] { (void)reload("signal:SIGHUP"); });
  runtime_.on_stopping([this] {
    publish(Event{.kind = "agent.stopping", .detail = {{"pid", ::getpid()}}, .actor = "agent"});
  });
  runtime_.cron().every("journal-retention", kRetentionPeriod,
                        [this] { journal_->enforce_retention(); });
  runtime_.cron().every("journal-stats", loaded_.config.cron_interval,
                        [this] { refresh_journal_stats(); });
  runtime_.cron().every("systemd-status", kStatusPeriod, [this] {
    runtime::sd::status(fmt::format("{} events journaled, {} WebSocket clients",
                                    journal_stats_.value("events", 0), api_->hub().client_count()));
  });
  asio::post(runtime_.loop(), [this] {
    publish(Event{.kind = "agent.started",
                  .detail = {{"version", std::string(kVersion)}, {"pid", ::getpid()}},
                  .actor = "agent"});
    refresh_journal_stats();
  });
  return runtime_.run();
}

Status NodeAgent::start_journal() {
  const auto& config = loaded_.config;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return fail(ErrorCode::bad_config, "cannot create data directory " + config.data_dir + ": " +
                                           ec.message() + " (set --data-dir or DATA_DIR)");
  auto journal = journal::Journal::open(
      journal::Options{.path = (std::filesystem::path(config.data_dir) / "journal.db").string(),
                       .max_age = config.journal_max_age,
                       .max_bytes = config.journal_max_bytes});
  if (!journal) return std::unexpected(journal.error());
  journal_ = std::make_unique<journal::JournalService>(runtime_.loop().get_executor(),
                                                       runtime_.workers(), std::move(*journal));
  return {};
}

Status NodeAgent::start_api() {
  auto token = config::read_api_token(loaded_.config);
  if (!token) return std::unexpected(token.error());
  api::ApiContext context;
  context.status = [this] { return status(); };
  context.health_problems = [this] { return health_problems(); };
  context.query_events = [this](EventQuery query) { return journal_->query(std::move(query)); };
  context.publish = [this](Event event, std::function<void(Result<Event>)> done) {
    publish(std::move(event), std::move(done));
  };
  context.reload = [this] { return reload("api"); };
  context.members = [this]() -> Result<nlohmann::json> {
    if (!gossip_ || !gossip_->core()) return fail(ErrorCode::unavailable, "gossip is not running");
    return gossip_->members_json();
  };
  context.join = [this](std::vector<std::string> addresses) -> Result<std::vector<std::string>> {
    if (!gossip_) return fail(ErrorCode::unavailable, "gossip is not running");
    return gossip_->join(addresses);
  };
  context.nodes = [this]() -> Result<nlohmann::json> {
    if (!cluster_) return fail(ErrorCode::unavailable, "gossip is not running");
    return nlohmann::json{{"nodes", cluster_->nodes_json()}};
  };
  context.node = [this](const std::string& name) -> Result<nlohmann::json> {
    if (!cluster_) return fail(ErrorCode::unavailable, "gossip is not running");
    return cluster_->node_json(name);
  };
  context.services = [this]() -> Result<nlohmann::json> {
    if (!cluster_) return fail(ErrorCode::unavailable, "gossip is not running");
    return nlohmann::json{{"services", cluster_->services_json()}};
  };
  context.service = [this](const std::string& name) -> Result<nlohmann::json> {
    if (!cluster_) return fail(ErrorCode::unavailable, "gossip is not running");
    return cluster_->service_json(name);
  };
  context.leave = [this]() -> Status {
    publish(Event{.kind = "agent.leave_requested", .actor = "api"});
    // Stop once the reply is on its way; the gossip subsystem's stop is the graceful leave.
    auto timer = std::make_shared<asio::steady_timer>(runtime_.loop(), kLeaveReplyGrace);
    timer->async_wait([this, timer](boost::system::error_code) {
      runtime_.request_stop("leave requested through the API");
    });
    return {};
  };
  context.force_leave = [this](const std::string& node) -> Status {
    if (!gossip_) return fail(ErrorCode::unavailable, "gossip is not running");
    return gossip_->force_leave(node);
  };
  if (loaded_.config.docker) {
    context.containers = [this]() -> Result<nlohmann::json> {
      if (!docker_) return fail(ErrorCode::unavailable, "the Docker monitor is not running");
      return docker_->containers_json();
    };
    context.restart_container = [this](std::string name, std::string actor) {
      return restart_container(std::move(name), std::move(actor));
    };
  }
  wire_consensus_api(context);
  context.node_call = [this](std::string node, std::string method, nlohmann::json params) {
    return call_node_async(std::move(node), std::move(method), std::move(params));
  };
  api_ = std::make_unique<api::ApiServer>(runtime_.loop(), loaded_.config, std::move(*token),
                                          std::move(context));
  api_->metrics().add_collector([this](api::Metrics& metrics) {
    metrics.gauge("constellation_journal_events", "Events stored in the journal.", {},
                  journal_stats_.value("events", 0));
    metrics.gauge("constellation_journal_bytes", "Journal size on disk in bytes.", {},
                  journal_stats_.value("bytes", 0));
    metrics.gauge("constellation_uptime_seconds", "Seconds since the agent started.", {},
                  static_cast<double>(now_ms() - started_at_ms_) / 1000.0);
  });
  api_->metrics().add_collector([this](api::Metrics& metrics) {
    if (!docker_) return;
    metrics.gauge("constellation_docker_up", "1 when the Docker engine answers, else 0.", {},
                  docker_->available() ? 1 : 0);
    std::map<std::string, double> by_status{
        {"healthy", 0}, {"unhealthy", 0}, {"starting", 0}, {"running", 0}, {"stopped", 0}};
    for (const auto& record : docker_->records())
      by_status[std::string(cluster::health_status_name(record.status))] += 1;
    for (const auto& [status, count] : by_status)
      metrics.gauge("constellation_docker_containers", "Containers on this node by health.",
                    {{"status", status}}, count);
  });
  api_->metrics().add_collector([this](api::Metrics& metrics) {
    if (!gossip_ || !gossip_->core()) return;
    std::map<std::string, double> states{{"alive", 0}, {"suspect", 0}, {"dead", 0}, {"left", 0}};
    for (const auto& [name, member] : gossip_->core()->members().all())
      states[std::string(gossip::member_state_name(member.state))] += 1;
    for (const auto& [state, count] : states)
      metrics.gauge("constellation_gossip_members", "Gossip members by state.", {{"state", state}},
                    count);
    (void)metrics.describe("constellation_gossip_dropped_total", api::MetricType::counter,
                           "Gossip datagrams and streams dropped, by reason.");
    for (auto reason : gossip::kAllDropReasons) {
      std::string name(gossip::drop_reason_name(reason));
      auto it = gossip_->dropped().find(name);
      std::uint64_t total = it == gossip_->dropped().end() ? 0 : it->second;
      auto& reported = gossip_drops_reported_[name];
      metrics.add("constellation_gossip_dropped_total", {{"reason", name}},
                  static_cast<double>(total - reported));
      reported = total;
    }
  });
  return api_->start();
}

cluster::NodeMeta NodeAgent::local_meta() const {
  const auto& config = loaded_.config;
  return cluster::NodeMeta{
      .version = std::string(kVersion),
      .priority = config.priority > 0 ? config.priority : cluster::default_priority(config.node),
      .capabilities = config.capabilities,
      .public_ip = config.public_ip,
      .raft_address = raft_advertised_address()};
}

Status NodeAgent::start_gossip() {
  const auto& config = loaded_.config;
  gossip::ServiceOptions options;
  options.node = config.node;
  options.bind_host = config.gossip.host;
  options.bind_port = config.gossip.port;
  options.join = config.join;
  options.offload = [this](std::function<void()> job) {
    asio::post(runtime_.workers(), std::move(job));
  };
  auto advertise = choose_advertise_address();
  if (!advertise) return std::unexpected(advertise.error());
  options.advertise_host = advertise->host;
  advertised_host_ = advertise->host;
  options.advertise_port = advertise->port.value_or(0);
  options.max_payload = static_cast<std::size_t>(config.gossip_max_payload);
  if (!gossip::timing_profile(config.gossip_profile, options.timing))
    return fail(ErrorCode::bad_config, "unknown gossip_profile '" + config.gossip_profile + "'");
  for (const auto& assignment : config.gossip_timing)
    if (auto applied = gossip::apply_timing_override(options.timing, assignment); !applied)
      return applied;
  if (!config.gossip_keyring.empty()) {
    auto text = config::read_secret(config.gossip_keyring);
    if (!text) return std::unexpected(text.error());
    std::vector<gossip::Bytes> keys;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty() || line.front() == '#') continue;
      auto key = gossip::decode_key_base64(line);
      if (!key)
        return fail(ErrorCode::bad_config, "gossip_keyring " + config.gossip_keyring + ": line " +
                                               std::to_string(keys.size() + 1) +
                                               " is not a base64 AES key");
      keys.push_back(std::move(*key));
    }
    auto keyring = gossip::Keyring::create(std::move(keys));
    if (!keyring)
      return fail(ErrorCode::bad_config,
                  "gossip_keyring " + config.gossip_keyring + ": " + keyring.error().message);
    options.keyring = std::move(*keyring);
  }
  options.seed = std::random_device{}();
  gossip_ = std::make_unique<gossip::GossipService>(
      runtime_.loop(), std::move(options), [this](const gossip::MemberEvent& member) {
        publish(Event{.kind = "member." + std::string(gossip::member_event_name(member.kind)),
                      .subject = member.name,
                      .detail = {{"incarnation", member.incarnation},
                                 {"address", member.address.to_string()},
                                 {"by", member.by}},
                      .actor = "gossip"});
        if (cluster_) cluster_->on_member_event(member);
        if (voters_) voters_->nudge();
      });
  cluster_ = std::make_unique<cluster::ClusterService>(
      *gossip_, config.node, local_meta(), [this](Event event) { publish(std::move(event)); });
  start_node_rpc();
  return gossip_->start();
}

Status NodeAgent::start_docker() {
  const auto& config = loaded_.config;
  if (!config.docker) return {};
  auto host = docker::parse_docker_host(config.docker_host);
  if (!host)
    return fail(ErrorCode::bad_config,
                "docker_host: " + host.error().message + " (set --docker-host or DOCKER_HOST)");
  auto networks = docker::parse_desired_networks(config.docker_networks);
  if (!networks) return fail(ErrorCode::bad_config, "docker_networks: " + networks.error().message);
  docker::MonitorOptions options;
  options.node = config.node;
  options.host = std::move(*host);
  options.reconcile_interval = config.docker_reconcile_interval;
  options.repair = {.max_restarts = config.repair_max_restarts,
                    .window = config.repair_window,
                    .backoff = config.repair_backoff,
                    .max_backoff = std::max<std::chrono::milliseconds>(config.repair_backoff,
                                                                       std::chrono::minutes(5))};
  options.networks = std::move(*networks);
  docker_ = std::make_unique<docker::DockerMonitor>(
      runtime_.loop(), runtime_.workers(), std::move(options),
      [this](std::vector<cluster::ServiceRecord>) { local_records_changed(); },
      [this](Event event) { publish(std::move(event)); });
  docker_->start();
  return {};
}

Status NodeAgent::start_checks() {
  auto checks = health::parse_service_checks(loaded_.config.service_checks);
  if (!checks) return fail(ErrorCode::bad_config, "service_checks: " + checks.error().message);
  checks_ = std::make_unique<health::CheckMonitor>(
      runtime_.loop(), runtime_.workers(), loaded_.config.node, std::move(*checks),
      [this](std::vector<cluster::ServiceRecord>) { local_records_changed(); },
      [this](Event event) { publish(std::move(event)); });
  checks_->start();
  return {};
}

std::vector<cluster::ServiceRecord> NodeAgent::local_records() const {
  std::vector<cluster::ServiceRecord> records;
  if (docker_) records = docker_->records();
  if (checks_)
    for (auto& record : checks_->records()) records.push_back(std::move(record));
  return records;
}

void NodeAgent::local_records_changed() {
  if (cluster_) cluster_->set_local_services(local_records());
}

Status NodeAgent::start_egress() {
  const auto& config = loaded_.config;
  health::EgressOptions options;
  options.public_ip = config.public_ip;
  options.ip_endpoints = config.public_ip_endpoints;
  options.warp_trace_url = config.warp_trace_url;
  options.warp_interval = config.warp_interval;
  egress_ = std::make_unique<health::EgressMonitor>(
      runtime_.loop(), runtime_.workers(), std::move(options),
      // A WARP node is one whose Docker monitor sees the gateway container.
      [this](const std::string& name) {
        if (!docker_) return health::GatewayState::absent;
        for (const auto& [id, c] : docker_->state().containers())
          if (c.name == name)
            return c.state == "running" ? health::GatewayState::running
                                        : health::GatewayState::stopped;
        return health::GatewayState::absent;
      },
      [this](Event event) { publish(std::move(event)); });
  if (docker_)
    egress_->set_trace_fetch(
        [client = std::make_shared<docker::DockerClient>(docker_->client_copy())](
            const std::string& gateway, const std::string& url, std::chrono::milliseconds timeout) {
          return docker::fetch_in_container(*client, gateway, url, timeout);
        });
  egress_->start();
  return {};
}

asio::awaitable<Result<nlohmann::json>> NodeAgent::restart_container(std::string name,
                                                                     std::string actor) {
  auto initiate = [this](auto handler, std::string name, std::string actor) {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    if (!docker_) {
      (*shared)(Result<nlohmann::json>(
          fail(ErrorCode::unavailable, "the Docker monitor is not running")));
      return;
    }
    docker_->restart(name, actor,
                     [shared](Result<nlohmann::json> done) mutable { (*shared)(std::move(done)); });
  };
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>,
                                          void(Result<nlohmann::json>)>(
      initiate, asio::use_awaitable, std::move(name), std::move(actor));
}

void NodeAgent::publish(Event event, std::function<void(Result<Event>)> done) {
  event.node = loaded_.config.node;
  if (event.time_ms == 0) event.time_ms = now_ms();
  if (event.actor.empty()) event.actor = "agent";
  journal_->append(std::move(event), [this, done = std::move(done)](Result<Event> stored) {
    if (!stored) {
      journal_error_ = stored.error().message;
      log::get("journal")->error("event not journaled: {}", stored.error().message);
    } else {
      journal_error_.reset();
      if (api_) api_->hub().broadcast(*stored);
    }
    if (done) done(std::move(stored));
  });
}

Result<nlohmann::json> NodeAgent::reload(std::string_view actor) {
  runtime::sd::reloading();
  auto fresh = config::load(config::inputs_from_process(args_));
  runtime::sd::ready();
  if (!fresh) {
    log::get("config")->error("reload refused, running configuration kept: {}",
                              fresh.error().message);
    publish(Event{.kind = "config.reload_failed",
                  .detail = {{"error", fresh.error().message}},
                  .actor = std::string(actor)});
    return std::unexpected(fresh.error());
  }
  auto plan = config::plan_reload(loaded_.config, fresh->config);
  auto& running = loaded_.config;
  const auto& next = fresh->config;
  if (auto format = log::parse_format(next.log_format); format) {
    if (auto applied = log::setup(next.log_level, *format); !applied)
      return std::unexpected(applied.error());
  }
  running.log_level = next.log_level;
  running.log_format = next.log_format;
  running.journal_max_age = next.journal_max_age;
  running.journal_max_bytes = next.journal_max_bytes;
  journal_->set_limits(next.journal_max_age, next.journal_max_bytes);
  for (const auto& key : plan.applied) loaded_.origins[key] = fresh->origins[key];
  nlohmann::json result{{"changed", plan.applied}, {"restart_required", plan.restart_required}};
  log::get("config")->info("reloaded: {} applied, {} need a restart", plan.applied.size(),
                           plan.restart_required.size());
  publish(Event{.kind = "config.reloaded", .detail = result, .actor = std::string(actor)});
  return result;
}

nlohmann::json NodeAgent::status() const {
  const auto& config = loaded_.config;
  nlohmann::json subsystems = nlohmann::json::array();
  for (const auto& info : runtime_.subsystems())
    subsystems.push_back({{"name", info.name}, {"state", runtime::state_name(info.state)}});
  return {{"node", config.node},
          {"version", std::string(kVersion)},
          {"api_version", std::string(kApiVersion)},
          {"pid", ::getpid()},
          {"started_at_ms", started_at_ms_},
          {"uptime_ms", now_ms() - started_at_ms_},
          {"data_dir", config.data_dir},
          {"listen",
           {{"api", config.api.host + ":" + std::to_string(api_ ? api_->tcp_port() : 0)},
            {"socket", config.socket_path}}},
          {"subsystems", subsystems},
          {"journal", journal_stats_},
          {"ws_clients", api_ ? api_->hub().client_count() : 0},
          {"gossip", gossip_ ? gossip_->status_json() : nlohmann::json(nullptr)},
          {"discovery",
           discovery_ ? discovery_->status_json() : nlohmann::json{{"mode", config.discovery}}},
          {"docker", docker_ ? docker_->status_json() : nlohmann::json{{"enabled", false}}},
          {"egress", egress_ ? egress_->status_json() : nlohmann::json(nullptr)},
          {"checks", checks_ ? checks_->status_json() : nlohmann::json::array()}};
}

std::vector<std::string> NodeAgent::health_problems() const {
  std::vector<std::string> problems;
  for (const auto& info : runtime_.subsystems())
    if (info.state != runtime::SubsystemState::running)
      problems.push_back(info.name + " is " + std::string(runtime::state_name(info.state)));
  if (journal_error_) problems.push_back("journal: " + *journal_error_);
  if (docker_)
    for (auto& problem : docker_->problems()) problems.push_back(std::move(problem));
  if (egress_)
    for (auto& problem : egress_->problems()) problems.push_back(std::move(problem));
  return problems;
}

void NodeAgent::refresh_journal_stats() {
  asio::co_spawn(
      runtime_.loop(),
      [this]() -> asio::awaitable<void> {
        auto stats = co_await journal_->stats();
        if (!stats) {
          journal_error_ = stats.error().message;
          co_return;
        }
        journal_stats_ = {
            {"events", stats->events},       {"bytes", stats->bytes},
            {"oldest_ms", stats->oldest_ms}, {"newest_ms", stats->newest_ms},
            {"last_id", stats->last_id},     {"schema_version", stats->schema_version}};
      },
      asio::detached);
}

}  // namespace constellation::agent
