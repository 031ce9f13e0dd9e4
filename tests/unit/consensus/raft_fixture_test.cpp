// Deterministic simulations with libraft's raft_fixture driving the real StateMachine through
// FsmBridge: replication, leader failover with the lease rules (a new leader waits a full
// TTL, tokens grow), an isolated leader's "unknown outcome", snapshot catch-up, and
// repeatability. The fixture's in-memory I/O skips raft_uv, so disk padding is tested in
// raft_log_test.cpp instead.
#include <array>
#include <cstring>
#include <memory>
#include <optional>

#include <gtest/gtest.h>

extern "C" {
#include <raft/fixture.h>
}

#include "agent/consensus/lease_logic.hpp"
#include "agent/consensus/raft_api.hpp"
#include "agent/consensus/raft_fsm_bridge.hpp"
#include "agent/consensus/state_machine.hpp"

namespace constellation::consensus {
namespace {

constexpr unsigned kServers = 3;
constexpr std::int64_t kTtl = 3000;
const LeaseSpec kLb{.name = "lb-leader", .capability = "", .ttl_ms = kTtl};

/// One proposal in flight: status stays -1 until raft calls back.
struct Proposal {
  struct raft_apply req {};
  FsmBridge* bridge = nullptr;
  int status = -1;
  std::optional<ApplyResult> result;
};

class Sim {
 public:
  explicit Sim(unsigned timeout_seed = 0) {
    std::memset(&f_, 0, sizeof f_);  // contracts/raft.md §5: the fixture is not fully inited
    EXPECT_EQ(raft_fixture_initialize(&f_), 0);
    for (unsigned i = 0; i < kServers; ++i) {
      bridges_[i] = std::make_unique<FsmBridge>(fsms_[i]);
      EXPECT_EQ(raft_fixture_grow(&f_, bridges_[i]->fsm()), 0);
      raft* r = raft_fixture_get(&f_, i);
      raft_set_pre_vote(r, true);
      raft_set_election_timeout(r, 1000);
      raft_set_heartbeat_timeout(r, 100);
      raft_fixture_set_randomized_election_timeout(&f_, i, 1000 + (i * 137 + timeout_seed) % 900);
    }
    raft_configuration conf;
    raft_configuration_init(&conf);
    EXPECT_EQ(raft_fixture_configuration(&f_, kServers, &conf), 0);
    EXPECT_EQ(raft_fixture_bootstrap(&f_, &conf), 0);
    raft_configuration_close(&conf);
    EXPECT_EQ(raft_fixture_start(&f_), 0);
  }
  ~Sim() { raft_fixture_close(&f_); }
  Sim(const Sim&) = delete;
  Sim& operator=(const Sim&) = delete;

  raft_fixture* f() { return &f_; }
  raft* server(unsigned i) { return raft_fixture_get(&f_, i); }
  StateMachine& fsm(unsigned i) { return fsms_[i]; }
  std::int64_t now() { return static_cast<std::int64_t>(raft_fixture_time(&f_)); }

  /// Index of a live leader with a term above `above`, stepping until one exists.
  std::optional<unsigned> await_leader(raft_term above, unsigned max_ms = 20'000) {
    struct Arg {
      raft_term above;
      unsigned found;
    } arg{above, kServers};
    auto pred = [](raft_fixture* f, void* a) {
      auto* arg = static_cast<Arg*>(a);
      for (unsigned i = 0; i < raft_fixture_n(f); ++i) {
        raft* r = raft_fixture_get(f, i);
        if (raft_fixture_alive(f, i) && raft_state(r) == RAFT_LEADER &&
            r->current_term > arg->above) {
          arg->found = i;
          return true;
        }
      }
      return false;
    };
    if (!raft_fixture_step_until(&f_, pred, &arg, max_ms)) return std::nullopt;
    return arg.found;
  }

  /// Proposes on server `i`; returns the in-flight record (raft owns the buffer on success).
  std::unique_ptr<Proposal> propose(unsigned i, const Command& command) {
    auto p = std::make_unique<Proposal>();
    p->bridge = bridges_[i].get();
    p->req.data = p.get();
    raft_buffer buf = pad(encode(command));
    int rv = raft_apply(server(i), &p->req, &buf, 1, [](struct raft_apply* q, int st, void* res) {
      auto* p = static_cast<Proposal*>(q->data);
      p->status = st;
      if (st == 0) p->result = decode_result(p->bridge->take_result(res).value_or(""));
    });
    if (rv != 0) {
      raft_free(buf.base);
      p->status = rv;
    }
    return p;
  }

  /// Steps until `p` completes; returns its result.
  ApplyResult commit(std::unique_ptr<Proposal> p, unsigned max_ms = 10'000) {
    auto done = [](raft_fixture*, void* a) { return static_cast<Proposal*>(a)->status != -1; };
    if (!raft_fixture_step_until(&f_, done, p.get(), max_ms))
      return fail(ErrorCode::timeout, "proposal did not complete");
    if (p->status != 0) return fail(ErrorCode::unavailable, raft_strerror(p->status));
    return *p->result;
  }

  /// A barrier on leader `i`, as a new leader issues before trusting its FSM.
  bool barrier(unsigned i) {
    struct B {
      struct raft_barrier req {};
      int status = -1;
    } b;
    b.req.data = &b;
    if (raft_barrier(server(i), &b.req, [](struct raft_barrier* q, int st) {
          static_cast<B*>(q->data)->status = st;
        }) != 0)
      return false;
    auto done = [](raft_fixture*, void* a) { return static_cast<B*>(a)->status != -1; };
    return raft_fixture_step_until(&f_, done, &b, 10'000) && b.status == 0;
  }

  /// Steps until every live server applied what leader `i` has.
  bool converge(unsigned i) {
    return raft_fixture_step_until_applied(&f_, kServers, raft_last_index(server(i)), 20'000);
  }

 private:
  raft_fixture f_;
  std::array<StateMachine, kServers> fsms_;
  std::array<std::unique_ptr<FsmBridge>, kServers> bridges_;
};

int ids = 0;
std::string id() {
  return "fx-" + std::to_string(++ids);
}

std::string clock_of(Sim& sim, unsigned leader) {
  return "server" + std::to_string(leader) + "/term" +
         std::to_string(sim.server(leader)->current_term);
}

LeaseGrant grant_cmd(Sim& sim, unsigned leader, std::string holder,
                     std::optional<std::uint64_t> expect = std::nullopt) {
  return LeaseGrant{.id = id(),
                    .lease = "lb-leader",
                    .holder = std::move(holder),
                    .ttl_ms = kTtl,
                    .now_ms = sim.now(),
                    .clock = clock_of(sim, leader),
                    .expect_revision = expect};
}

TEST(RaftPayload, PadRoundsUpToEightBytesWithNuls) {
  for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 63u, 64u}) {
    raft_buffer b = pad(std::string(n, 'x'));
    ASSERT_NE(b.base, nullptr);
    EXPECT_EQ(b.len % 8, 0u) << n;
    EXPECT_GE(b.len, n);
    EXPECT_LT(b.len, n + 9);
    const char* p = static_cast<const char*>(b.base);
    for (std::size_t i = n; i < b.len; ++i) EXPECT_EQ(p[i], '\0');
    raft_free(b.base);
  }
}

TEST(RaftFixture, ElectedLeaderReplicatesALeaseGrantToEveryReplica) {
  auto sim = std::make_unique<Sim>();
  auto leader = sim->await_leader(0);
  ASSERT_TRUE(leader);
  ASSERT_TRUE(sim->barrier(*leader));
  auto r = sim->commit(sim->propose(*leader, grant_cmd(*sim, *leader, "n1")));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->token, 1u);
  ASSERT_TRUE(sim->converge(*leader));
  for (unsigned i = 0; i < kServers; ++i) {
    ASSERT_NE(sim->fsm(i).lease("lb-leader"), nullptr) << "server " << i;
    EXPECT_EQ(sim->fsm(i).lease("lb-leader")->holder, "n1");
    EXPECT_EQ(sim->fsm(i).snapshot(), sim->fsm(*leader).snapshot());
  }
}

TEST(RaftFixture, FollowerProposalIsRefusedAsNotLeader) {
  auto sim = std::make_unique<Sim>();
  auto leader = sim->await_leader(0);
  ASSERT_TRUE(leader);
  const unsigned follower = (*leader + 1) % kServers;
  auto p = sim->propose(follower, grant_cmd(*sim, follower, "n1"));
  EXPECT_EQ(p->status, RAFT_NOTLEADER);
}

/// Runs the failover scenario and returns every replica's final snapshot.
std::vector<std::string> failover_scenario(unsigned seed, std::int64_t* waited_ms = nullptr) {
  Sim sim(seed);
  auto first = sim.await_leader(0);
  EXPECT_TRUE(first);
  if (!first) return {};
  EXPECT_TRUE(sim.barrier(*first));
  auto g = sim.commit(sim.propose(*first, grant_cmd(sim, *first, "n1")));
  EXPECT_TRUE(g);
  EXPECT_TRUE(sim.converge(*first));

  // The leader dies together with the lease holder n1.
  const raft_term old_term = sim.server(*first)->current_term;
  raft_fixture_kill(sim.f(), *first);
  auto second = sim.await_leader(old_term);
  EXPECT_TRUE(second);
  if (!second) return {};
  EXPECT_TRUE(sim.barrier(*second));
  const std::int64_t since = sim.now();
  LeaseObserver observer;
  observer.observe(sim.fsm(*second).leases(), since);
  std::vector<Candidate> candidates{Candidate{.node = "n1", .healthy = false, .priority = 0},
                                    Candidate{.node = "n2", .healthy = true, .priority = 1}};
  auto view = [&] {
    return LeaderView{
        .now_ms = sim.now(), .leader_since_ms = since, .observed = observer.get("lb-leader")};
  };
  LeaderDecision d = decide(kLb, sim.fsm(*second).lease("lb-leader"), candidates, view());
  EXPECT_EQ(d.action, LeaderAction::wait);
  EXPECT_EQ(d.wait_until_ms, since + kTtl);  // a new leader waits a full TTL
  // The grant was stamped on the dead leader's clock, so the FSM cannot compare times; the
  // new leader's own wait is what protects the old holder. Step until it allows a grant.
  while (d.action == LeaderAction::wait) {
    raft_fixture_step_until_elapsed(sim.f(), static_cast<unsigned>(d.wait_until_ms - sim.now()));
    d = decide(kLb, sim.fsm(*second).lease("lb-leader"), candidates, view());
  }
  if (waited_ms) *waited_ms = sim.now() - since;
  EXPECT_EQ(d.action, LeaderAction::grant);
  EXPECT_EQ(d.to, "n2");
  auto taken = sim.commit(sim.propose(*second, grant_cmd(sim, *second, d.to, d.expect_revision)));
  EXPECT_TRUE(taken) << (taken ? "" : taken.error().message);
  if (taken) {
    EXPECT_EQ(taken->token, 2u);
  }

  // The old leader comes back as a follower and catches up.
  raft_fixture_revive(sim.f(), *first);
  EXPECT_TRUE(sim.converge(*second));
  std::vector<std::string> snaps;
  for (unsigned i = 0; i < kServers; ++i) snaps.push_back(sim.fsm(i).snapshot());
  return snaps;
}

TEST(RaftFixture, NewLeaderWaitsAFullTtlThenHandsTheLeaseOverWithAHigherToken) {
  std::int64_t waited = 0;
  auto snaps = failover_scenario(0, &waited);
  ASSERT_EQ(snaps.size(), kServers);
  EXPECT_GE(waited, kTtl);
  for (const auto& s : snaps) EXPECT_EQ(s, snaps[0]);
  StateMachine check;
  ASSERT_TRUE(check.restore(snaps[0]));
  EXPECT_EQ(check.lease("lb-leader")->holder, "n2");
  EXPECT_EQ(check.lease("lb-leader")->token, 2u);
}

TEST(RaftFixture, SameSeedGivesTheSameHistory) {
  for (unsigned seed : {0u, 311u, 577u}) {
    ids = 1000;  // command ids are part of the state; start both runs alike
    auto a = failover_scenario(seed);
    ids = 1000;
    auto b = failover_scenario(seed);
    ASSERT_EQ(a.size(), kServers);
    EXPECT_EQ(a, b) << "seed " << seed;
  }
}

TEST(RaftFixture, IsolatedLeaderFailsItsProposalWithUnknownOutcomeAndReplayAppliesOnce) {
  auto sim = std::make_unique<Sim>();
  auto leader = sim->await_leader(0);
  ASSERT_TRUE(leader);
  ASSERT_TRUE(sim->barrier(*leader));
  for (unsigned j = 0; j < kServers; ++j)
    if (j != *leader) {
      raft_fixture_saturate(sim->f(), *leader, j);
      raft_fixture_saturate(sim->f(), j, *leader);
    }
  CordonNode cordon{
      .id = id(), .node = "n3", .reason = "disk swap", .actor = "alice", .at_unix_ms = 1};
  auto stuck = sim->commit(sim->propose(*leader, cordon), 30'000);
  ASSERT_FALSE(stuck);
  EXPECT_EQ(stuck.error().message, raft_strerror(RAFT_LEADERSHIPLOST));
  for (unsigned j = 0; j < kServers; ++j)
    if (j != *leader) {
      raft_fixture_desaturate(sim->f(), *leader, j);
      raft_fixture_desaturate(sim->f(), j, *leader);
    }
  auto next = sim->await_leader(0);
  ASSERT_TRUE(next);
  ASSERT_TRUE(sim->barrier(*next));
  // The client re-proposes the same command: it takes effect exactly once.
  auto again = sim->commit(sim->propose(*next, cordon));
  ASSERT_TRUE(again) << again.error().message;
  auto third = sim->commit(sim->propose(*next, cordon));
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_TRUE(third->duplicate);
  ASSERT_TRUE(sim->converge(*next));
  for (unsigned i = 0; i < kServers; ++i) EXPECT_TRUE(sim->fsm(i).cordoned("n3"));
}

TEST(RaftFixture, LaggingFollowerCatchesUpFromASnapshot) {
  auto sim = std::make_unique<Sim>();
  for (unsigned i = 0; i < kServers; ++i) {
    raft_set_snapshot_threshold(sim->server(i), 8);
    raft_set_snapshot_trailing(sim->server(i), 2);
  }
  auto leader = sim->await_leader(0);
  ASSERT_TRUE(leader);
  const unsigned lagging = (*leader + 1) % kServers;
  raft_fixture_kill(sim->f(), lagging);
  for (int k = 0; k < 40; ++k) {
    auto r = sim->commit(sim->propose(*leader, SetConfig{.id = id(), .values = {{"round", k}}}));
    ASSERT_TRUE(r) << r.error().message;
  }
  ASSERT_TRUE(sim->commit(sim->propose(
      *leader,
      CordonNode{.id = id(), .node = "n7", .reason = "r", .actor = "a", .at_unix_ms = 2})));
  raft_fixture_revive(sim->f(), lagging);
  ASSERT_TRUE(sim->converge(*leader));
  EXPECT_TRUE(sim->fsm(lagging).cordoned("n7"));
  EXPECT_EQ(sim->fsm(lagging).config().values.at("round"), 39);
  EXPECT_EQ(sim->fsm(lagging).snapshot(), sim->fsm(*leader).snapshot());
}

}  // namespace
}  // namespace constellation::consensus
