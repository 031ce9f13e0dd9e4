// RaftLog's raft thread: a libuv loop owning the raft instance, fed by a queue of closures
// (posted from the owner's thread, woken by uv_async) and reporting back with asio::post.
// A uv_check hook after every loop pass publishes status changes (libraft 0.15 has no
// state-change callback) and issues the post-election barrier.
#include "agent/consensus/raft_log.hpp"

#include <pthread.h>
#include <signal.h>

#include <future>
#include <mutex>
#include <thread>
#include <utility>

#include "agent/consensus/raft_api.hpp"
#include "agent/consensus/raft_fsm_bridge.hpp"

// raft_apply, raft_barrier and raft_transfer name both a struct and a function; in C++ the
// function hides the type, so the request types get names of their own here.
typedef struct raft_apply RaftApplyReq;
typedef struct raft_barrier RaftBarrierReq;
typedef struct raft_transfer RaftTransferReq;

namespace constellation::consensus {

namespace {

/// Segment size, connect retry: contracts/raft.md §7 rule 2.
constexpr std::size_t kSegmentSize = 1 << 20;
constexpr unsigned kConnectRetryMs = 100;

Error raft_error(std::string_view what, int rv, const char* detail = nullptr) {
  std::string message = std::string(what) + ": " + raft_strerror(rv);
  if (detail != nullptr && *detail != '\0') message += " (" + std::string(detail) + ")";
  return Error{.code = rv == RAFT_NOTLEADER || rv == RAFT_LEADERSHIPLOST || rv == RAFT_NOCONNECTION
                           ? ErrorCode::unavailable
                           : ErrorCode::internal,
               .message = std::move(message)};
}

/// How many entries a server may trail the leader's last index and still count as caught
/// up: a heartbeat or two of in-flight appends, not a real lag.
constexpr raft_index kCaughtUpSlack = 16;

ServerRole server_role_of(int role) {
  switch (role) {
    case RAFT_VOTER:
      return ServerRole::voter;
    case RAFT_STANDBY:
      return ServerRole::standby;
    default:
      return ServerRole::spare;
  }
}

int raft_role_of(ServerRole role) {
  switch (role) {
    case ServerRole::voter:
      return RAFT_VOTER;
    case ServerRole::standby:
      return RAFT_STANDBY;
    case ServerRole::spare:
      return RAFT_SPARE;
  }
  return RAFT_SPARE;
}

Role role_of(int state) {
  switch (state) {
    case RAFT_FOLLOWER:
      return Role::follower;
    case RAFT_CANDIDATE:
      return Role::candidate;
    case RAFT_LEADER:
      return Role::leader;
    default:
      return Role::unavailable;
  }
}

}  // namespace

std::uint64_t raft_id_for(std::string_view node) {
  const std::uint64_t id = raft_digest(node.data(), node.size());
  return id == 0 ? 1 : id;
}

/// Everything that lives on the raft thread. Only `inbox` (under `mu`) is shared.
struct RaftLog::Impl {
  Impl(asio::io_context& io, RaftOptions opts, Applier& applier)
      : io(io), options(std::move(opts)), applier(applier), bridge(applier) {}

  asio::io_context& io;
  RaftOptions options;
  Applier& applier;
  FsmBridge bridge;
  /// Set by RaftLog: hands a status or an applied command to the owner's thread.
  std::function<void(LogStatus)> publish_status;
  std::function<void(std::string, std::string)> publish_applied;

  uv_loop_t loop{};
  uv_async_t wake{};
  uv_check_t check{};
  raft_uv_transport transport{};
  raft_io rio{};
  struct raft raft {};
  std::thread thread;

  std::mutex mu;
  std::vector<std::function<void()>> inbox;  // guarded by mu
  bool stopping = false;                     // guarded by mu

  // Raft-thread state.
  LogStatus last{};
  bool barrier_pending = false;
  std::uint64_t ready_term = 0;  // term whose barrier has applied
  bool closing = false;

  /// Runs `fn` on the raft thread. Returns false when raft is stopping.
  bool post(std::function<void()> fn) {
    {
      std::lock_guard lock(mu);
      if (stopping) return false;
      inbox.push_back(std::move(fn));
    }
    uv_async_send(&wake);
    return true;
  }

  /// Posts `fn` to the owner's loop.
  template <typename F>
  void to_owner(F&& fn) {
    asio::post(io, std::forward<F>(fn));
  }

  void run(std::promise<Status>& started);
  Status init();
  void drain();
  void publish();
  void close_all();
  LogStatus compute() const;
  std::string not_leader_message() const;
};

std::string RaftLog::Impl::not_leader_message() const {
  raft_id id = 0;
  const char* address = nullptr;
  raft_leader(const_cast<struct raft*>(&raft), &id, &address);
  if (id == 0)
    return "this node (raft id " + std::to_string(options.id) +
           ") is not the leader and no leader is known: the cluster has no quorum or is "
           "electing; retry shortly";
  return "this node is not the raft leader; the leader is raft id " + std::to_string(id) + " at " +
         (address ? address : "?");
}

LogStatus RaftLog::Impl::compute() const {
  auto* r = const_cast<struct raft*>(&raft);
  LogStatus s;
  s.id = options.id;
  s.address = options.address;
  s.role = role_of(raft_state(r));
  s.term = r->current_term;
  raft_id leader = 0;
  const char* address = nullptr;
  raft_leader(r, &leader, &address);
  s.leader_id = leader;
  s.leader_address = address ? address : "";
  s.commit_index = r->commit_index;
  s.last_applied = raft_last_applied(r);
  s.last_index = raft_last_index(r);
  s.ready = s.role == Role::leader && ready_term == s.term;
  const bool leading = s.role == Role::leader && r->leader_state.progress != nullptr;
  for (unsigned i = 0; i < r->configuration.n; ++i) {
    const raft_server& srv = r->configuration.servers[i];
    // The leader's progress array is indexed like its configuration's servers.
    const bool caught_up =
        leading && (srv.id == options.id ||
                    r->leader_state.progress[i].match_index + kCaughtUpSlack >= s.last_index);
    s.members.push_back(Member{.id = srv.id,
                               .address = srv.address,
                               .voter = srv.role == RAFT_VOTER,
                               .role = server_role_of(srv.role),
                               .caught_up = caught_up});
  }
  return s;
}

void RaftLog::Impl::publish() {
  if (closing) return;
  LogStatus now = compute();
  // Rule 4: a new leader commits a barrier before its FSM is trusted for lease decisions.
  if (now.role == Role::leader && ready_term != now.term && !barrier_pending) {
    auto* req = new RaftBarrierReq{};
    barrier_pending = true;
    const std::uint64_t term = now.term;
    struct Ctx {
      Impl* self;
      std::uint64_t term;
    };
    req->data = new Ctx{this, term};
    int rv = raft_barrier(&raft, req, [](struct raft_barrier* q, int status) {
      auto* ctx = static_cast<Ctx*>(q->data);
      ctx->self->barrier_pending = false;
      if (status == 0) ctx->self->ready_term = ctx->term;
      Impl* self = ctx->self;
      delete ctx;
      delete q;
      self->publish();
    });
    if (rv != 0) {
      barrier_pending = false;
      delete static_cast<Ctx*>(req->data);
      delete req;
    }
  }
  if (now == last) return;
  last = now;
  publish_status(std::move(now));
}

void RaftLog::Impl::drain() {
  std::vector<std::function<void()>> work;
  {
    std::lock_guard lock(mu);
    work.swap(inbox);
  }
  for (auto& fn : work) fn();
}

Status RaftLog::Impl::init() {
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec)
    return fail(ErrorCode::bad_config, "cannot create the raft data directory " +
                                           options.dir.string() + ": " + ec.message());
  if (options.id == 0) return fail(ErrorCode::bad_config, "raft id must be greater than zero");
  if (options.heartbeat >= options.election_timeout)
    return fail(ErrorCode::bad_config,
                "raft heartbeat (" + std::to_string(options.heartbeat.count()) +
                    " ms) must be shorter than the election timeout (" +
                    std::to_string(options.election_timeout.count()) + " ms)");
  if (int rv = raft_uv_tcp_init(&transport, &loop); rv != 0)
    return std::unexpected(raft_error("raft TCP transport", rv));
  if (!options.bind_address.empty())
    if (int rv = raft_uv_tcp_set_bind_address(&transport, options.bind_address.c_str()); rv != 0) {
      raft_uv_tcp_close(&transport);
      return std::unexpected(raft_error("raft bind address " + options.bind_address, rv));
    }
  if (int rv = raft_uv_init(&rio, &loop, options.dir.c_str(), &transport); rv != 0) {
    Error e = raft_error("raft data directory " + options.dir.string(), rv, rio.errmsg);
    raft_uv_tcp_close(&transport);
    return std::unexpected(e);
  }
  raft_uv_set_segment_size(&rio, kSegmentSize);
  raft_uv_set_connect_retry_delay(&rio, kConnectRetryMs);
  raft_uv_set_auto_recovery(&rio, false);  // rule 3: refuse to start rather than truncate
  if (int rv = raft_init(&raft, &rio, bridge.fsm(), options.id, options.address.c_str()); rv != 0) {
    Error e = raft_error("raft init at " + options.address, rv, raft.errmsg);
    raft_uv_close(&rio);
    raft_uv_tcp_close(&transport);
    return std::unexpected(e);
  }
  raft.data = this;
  raft_set_election_timeout(&raft, static_cast<unsigned>(options.election_timeout.count()));
  raft_set_heartbeat_timeout(&raft, static_cast<unsigned>(options.heartbeat.count()));
  raft_set_pre_vote(&raft, true);  // rule 2: one election round per failover, not two
  raft_set_snapshot_threshold(&raft, options.snapshot_threshold);
  raft_set_snapshot_trailing(&raft, options.snapshot_trailing);
  Status result;
  if (!options.bootstrap.empty()) {
    raft_configuration conf;
    raft_configuration_init(&conf);
    int rv = 0;
    for (const Member& m : options.bootstrap)
      if (rv == 0)
        rv = raft_configuration_add(&conf, m.id, m.address.c_str(),
                                    m.voter ? RAFT_VOTER : RAFT_STANDBY);
    if (rv == 0) rv = raft_bootstrap(&raft, &conf);
    raft_configuration_close(&conf);
    if (rv != 0 && rv != RAFT_CANTBOOTSTRAP)  // CANTBOOTSTRAP: state exists, a restart
      result = std::unexpected(raft_error("raft bootstrap", rv, raft.errmsg));
  }
  if (result) {
    if (int rv = raft_start(&raft); rv != 0)
      result = std::unexpected(
          raft_error("raft start from " + options.dir.string() +
                         " (a damaged log is not repaired automatically; see raft recovery)",
                     rv, raft.errmsg));
  }
  if (!result) {
    closing = true;
    raft_close(&raft, [](struct raft* r) {
      auto* self = static_cast<Impl*>(r->data);
      raft_uv_close(&self->rio);
      raft_uv_tcp_close(&self->transport);
    });
  }
  return result;
}

void RaftLog::Impl::close_all() {
  closing = true;
  raft_close(&raft, [](struct raft* r) {
    auto* self = static_cast<Impl*>(r->data);
    raft_uv_close(&self->rio);
    raft_uv_tcp_close(&self->transport);
    uv_close(reinterpret_cast<uv_handle_t*>(&self->wake), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&self->check), nullptr);
  });
}

void RaftLog::Impl::run(std::promise<Status>& started) {
  // libuv writes to peers' sockets without MSG_NOSIGNAL: a peer that went away would raise
  // SIGPIPE and kill the whole agent. The signal is thread-directed, so blocking it here
  // turns it into an EPIPE that raft handles as a lost connection.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  uv_loop_init(&loop);
  loop.data = this;
  wake.data = this;
  check.data = this;
  uv_async_init(&loop, &wake, [](uv_async_t* h) {
    auto* self = static_cast<Impl*>(h->data);
    self->drain();
  });
  uv_check_init(&loop, &check);
  uv_check_start(&check, [](uv_check_t* h) { static_cast<Impl*>(h->data)->publish(); });
  bridge.set_applied_hook([this](std::string_view command, const std::string& result) {
    if (publish_applied) publish_applied(std::string(command), result);
  });
  Status status = init();
  if (!status) {
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    uv_close(reinterpret_cast<uv_handle_t*>(&wake), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&check), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    started.set_value(std::move(status));
    return;
  }
  started.set_value({});
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
}

Result<std::unique_ptr<RaftLog>> RaftLog::start(asio::io_context& io, RaftOptions options,
                                                Applier& applier) {
  std::unique_ptr<RaftLog> log(new RaftLog(io));
  log->impl_ = std::make_unique<Impl>(io, std::move(options), applier);
  Impl* impl = log->impl_.get();
  RaftLog* self = log.get();
  // Posted work checks that the RaftLog still exists when it runs on the owner's loop.
  auto alive = std::make_shared<RaftLog*>(self);
  self->alive_ = alive;
  std::weak_ptr<RaftLog*> weak = alive;
  impl->publish_status = [impl, weak](LogStatus status) {
    impl->to_owner([weak, status = std::move(status)] {
      if (auto p = weak.lock()) {
        (*p)->status_ = status;
        if ((*p)->status_observer_) (*p)->status_observer_((*p)->status_);
      }
    });
  };
  impl->publish_applied = [impl, weak](std::string command, std::string result) {
    impl->to_owner([weak, command = std::move(command), result = std::move(result)] {
      if (auto p = weak.lock())
        if ((*p)->applied_observer_) (*p)->applied_observer_(command, result);
    });
  };
  std::promise<Status> started;
  auto ready = started.get_future();
  impl->thread = std::thread([impl, p = std::move(started)]() mutable { impl->run(p); });
  Status status = ready.get();
  if (!status) {
    impl->thread.join();
    log->impl_.reset();
    return std::unexpected(status.error());
  }
  log->status_.id = impl->options.id;
  log->status_.address = impl->options.address;
  return log;
}

RaftLog::RaftLog(asio::io_context& io) : io_(io) {}

RaftLog::~RaftLog() {
  stop();
}

void RaftLog::stop() {
  alive_.reset();
  if (!impl_) return;
  Impl* impl = impl_.get();
  impl->post([impl] { impl->close_all(); });
  {
    std::lock_guard lock(impl->mu);
    impl->stopping = true;
  }
  if (impl->thread.joinable()) impl->thread.join();
  impl_.reset();
}

namespace {

struct PendingApply {
  RaftApplyReq req{};
  RaftLog::Impl* impl = nullptr;
  Log::ProposeDone done;
};

}  // namespace

void RaftLog::propose(std::string command, ProposeDone done) {
  if (!impl_) {
    asio::post(io_, [done = std::move(done)] {
      done(fail(ErrorCode::unavailable, "consensus is stopped"));
    });
    return;
  }
  Impl* impl = impl_.get();
  auto job = [impl, command = std::move(command), done]() mutable {
    if (raft_state(&impl->raft) != RAFT_LEADER) {
      impl->to_owner([done = std::move(done), msg = impl->not_leader_message()] {
        done(fail(ErrorCode::unavailable, msg));
      });
      return;
    }
    raft_buffer buf = pad(command);  // rule 1: every payload a multiple of 8 bytes
    if (buf.base == nullptr) {
      impl->to_owner([done = std::move(done)] {
        done(fail(ErrorCode::internal, "out of memory proposing a command"));
      });
      return;
    }
    auto* p = new PendingApply{.impl = impl, .done = std::move(done)};
    p->req.data = p;
    int rv = raft_apply(
        &impl->raft, &p->req, &buf, 1, [](struct raft_apply* q, int status, void* result) {
          auto* p = static_cast<PendingApply*>(q->data);
          Impl* impl = p->impl;
          if (status == 0) {
            auto text = impl->bridge.take_result(result);
            impl->to_owner([done = std::move(p->done), text = std::move(text)] {
              if (text)
                done(*text);
              else
                done(fail(ErrorCode::internal, "the committed command's result was lost"));
            });
          } else {
            std::string msg =
                status == RAFT_LEADERSHIPLOST || status == RAFT_SHUTDOWN || status == RAFT_CANCELED
                    ? std::string("unknown outcome: ") + raft_strerror(status) +
                          " before the command was known to commit; it may still commit under "
                          "the next leader — re-read the state before retrying"
                    : std::string("proposal failed: ") + raft_strerror(status);
            impl->to_owner([done = std::move(p->done), msg = std::move(msg)] {
              done(fail(ErrorCode::unavailable, msg));
            });
          }
          delete p;
        });
    if (rv != 0) {
      raft_free(buf.base);
      std::string msg =
          rv == RAFT_NOTLEADER ? impl->not_leader_message() : raft_error("proposal", rv).message;
      impl->to_owner([done = std::move(p->done), msg = std::move(msg)] {
        done(fail(ErrorCode::unavailable, msg));
      });
      delete p;
    }
  };
  if (!impl->post(std::move(job)))
    asio::post(io_, [done = std::move(done)] {
      done(fail(ErrorCode::unavailable, "consensus is stopping"));
    });
}

void RaftLog::read(ReadFn fn, std::function<void(std::string)> done) {
  if (!impl_) return;
  Impl* impl = impl_.get();
  impl->post([impl, fn = std::move(fn), done = std::move(done)]() mutable {
    std::string text = fn(impl->applier);
    impl->to_owner([done = std::move(done), text = std::move(text)] { done(text); });
  });
}

namespace {

struct PendingChange {
  struct raft_change req {};
  RaftLog::Impl* impl = nullptr;
  std::uint64_t id = 0;
  int then_role = -1;  // after the add: assign this role (-1: none)
  std::function<void(Status)> done;
};

}  // namespace

/// Completes a request made after stop() with an error, on the owner's thread.
static void stopped(asio::io_context& io, std::function<void(Status)> done) {
  asio::post(
      io, [done = std::move(done)] { done(fail(ErrorCode::unavailable, "consensus is stopped")); });
}

/// Completes a membership change on the owner's thread.
static void finish_change(PendingChange* p, int status, const char* what) {
  Status result;
  if (status == RAFT_CANTCHANGE)
    result =
        fail(ErrorCode::unavailable, std::string(what) +
                                         ": another configuration change is still in progress; "
                                         "retry when it has finished");
  else if (status != 0)
    result = std::unexpected(raft_error(what, status));
  p->impl->to_owner([done = std::move(p->done), result = std::move(result)] { done(result); });
  delete p;
}

/// raft_assign of `p->id` to `role` on the raft thread; completes `p`.
static void assign_now(PendingChange* p, int role) {
  p->req = raft_change{};
  p->req.data = p;
  int rv = raft_assign(&p->impl->raft, &p->req, p->id, role, [](raft_change* q, int st) {
    finish_change(static_cast<PendingChange*>(q->data), st, "raft assign");
  });
  if (rv != 0)
    finish_change(p, rv, rv == RAFT_NOTLEADER ? "raft assign (ask the leader)" : "raft assign");
}

/// raft_add (as a spare), then raft_assign to `role` once the add has committed.
static void add_then_assign(RaftLog::Impl* impl, std::uint64_t id, const std::string& address,
                            int role, std::function<void(Status)> done) {
  auto* p = new PendingChange{.impl = impl, .id = id, .then_role = role, .done = std::move(done)};
  p->req.data = p;
  int rv = raft_add(&impl->raft, &p->req, id, address.c_str(), [](raft_change* q, int status) {
    auto* p = static_cast<PendingChange*>(q->data);
    if (status != 0) return finish_change(p, status, "raft add");
    assign_now(p, p->then_role);
  });
  if (rv != 0)
    finish_change(p, rv, rv == RAFT_NOTLEADER ? "raft add (ask the leader)" : "raft add");
}

void RaftLog::add_voter(std::uint64_t id, std::string address, std::function<void(Status)> done) {
  if (!impl_) return stopped(io_, std::move(done));
  Impl* impl = impl_.get();
  impl->post([impl, id, address = std::move(address), done = std::move(done)]() mutable {
    add_then_assign(impl, id, address, RAFT_VOTER, std::move(done));
  });
}

void RaftLog::add_standby(std::uint64_t id, std::string address, std::function<void(Status)> done) {
  if (!impl_) return stopped(io_, std::move(done));
  Impl* impl = impl_.get();
  impl->post([impl, id, address = std::move(address), done = std::move(done)]() mutable {
    add_then_assign(impl, id, address, RAFT_STANDBY, std::move(done));
  });
}

void RaftLog::assign(std::uint64_t id, ServerRole role, std::function<void(Status)> done) {
  if (!impl_) return stopped(io_, std::move(done));
  Impl* impl = impl_.get();
  impl->post([impl, id, role, done = std::move(done)]() mutable {
    auto* p = new PendingChange{.impl = impl, .id = id, .done = std::move(done)};
    assign_now(p, raft_role_of(role));
  });
}

void RaftLog::remove(std::uint64_t id, std::function<void(Status)> done) {
  if (!impl_) return stopped(io_, std::move(done));
  Impl* impl = impl_.get();
  impl->post([impl, id, done = std::move(done)]() mutable {
    auto* p = new PendingChange{.impl = impl, .id = id, .done = std::move(done)};
    p->req.data = p;
    int rv = raft_remove(&impl->raft, &p->req, id, [](raft_change* q, int status) {
      finish_change(static_cast<PendingChange*>(q->data), status, "raft remove");
    });
    if (rv != 0) finish_change(p, rv, "raft remove");
  });
}

void RaftLog::transfer_leadership(std::uint64_t id, std::function<void(Status)> done) {
  if (!impl_) return stopped(io_, std::move(done));
  Impl* impl = impl_.get();
  impl->post([impl, id, done = std::move(done)]() mutable {
    struct Pending {
      RaftTransferReq req{};
      Impl* impl;
      std::function<void(Status)> done;
    };
    auto* p = new Pending{.impl = impl, .done = std::move(done)};
    p->req.data = p;
    int rv = raft_transfer(&impl->raft, &p->req, id, [](struct raft_transfer* q) {
      auto* p = static_cast<Pending*>(q->data);
      p->impl->to_owner([done = std::move(p->done)] { done(Status{}); });
      delete p;
    });
    if (rv != 0) {
      Error e = raft_error("leadership transfer", rv);
      impl->to_owner([done = std::move(p->done), e] { done(std::unexpected(e)); });
      delete p;
    }
  });
}

}  // namespace constellation::consensus
