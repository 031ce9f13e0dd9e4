// The whole lease protocol in raft_fixture's deterministic simulation: three nodes, each a
// raft server and a lease candidate. The leader decides grants with lease_logic, holders
// renew through the leader with HolderClock, and a seeded schedule kills, revives and
// partitions servers. A history checker asserts that no two nodes ever act under the lease
// at overlapping times and that tokens only grow.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "agent/consensus/lease_logic.hpp"
#include "agent/consensus/raft_api.hpp"
#include "agent/consensus/raft_fsm_bridge.hpp"
#include "agent/consensus/state_machine.hpp"
#include "tests/harness/lease_checker.hpp"

extern "C" {
#include <raft/fixture.h>
}

namespace constellation::consensus {
namespace {

constexpr unsigned kN = 3;
constexpr std::int64_t kTtl = 3000, kMargin = 300;
const LeaseSpec kSpec{.name = "lb-leader", .capability = "", .ttl_ms = kTtl};

std::string node_name(unsigned i) {
  return "n" + std::to_string(i);
}

struct Proposal {
  struct raft_apply req {};
  FsmBridge* bridge = nullptr;
  int status = -1;  // -1 in flight
  std::optional<ApplyResult> result;
};

struct Interval {
  unsigned node;
  std::uint64_t token;
  std::int64_t start, end;
};

class LeaseSim {
 public:
  explicit LeaseSim(unsigned seed) : rng_(seed) {
    std::memset(&f_, 0, sizeof f_);
    raft_fixture_initialize(&f_);
    for (unsigned i = 0; i < kN; ++i) {
      bridges_[i] = std::make_unique<FsmBridge>(fsms_[i]);
      raft_fixture_grow(&f_, bridges_[i]->fsm());
      raft_set_pre_vote(raft_fixture_get(&f_, i), true);
      raft_set_election_timeout(raft_fixture_get(&f_, i), 500);
      raft_set_heartbeat_timeout(raft_fixture_get(&f_, i), 50);
      raft_fixture_set_randomized_election_timeout(&f_, i, 500 + (seed * 7 + i * 131) % 450);
    }
    raft_configuration conf;
    raft_configuration_init(&conf);
    raft_fixture_configuration(&f_, kN, &conf);
    raft_fixture_bootstrap(&f_, &conf);
    raft_configuration_close(&conf);
    raft_fixture_start(&f_);
  }
  ~LeaseSim() { raft_fixture_close(&f_); }

  /// Runs `ms` of simulated time with a fault every ~1.5 s; returns the acting history.
  std::vector<Interval> run(std::int64_t ms) {
    std::int64_t next_fault = 1500;
    while (now() < ms) {
      raft_fixture_step_until_elapsed(&f_, 10);
      if (now() >= next_fault) {
        fault();
        next_fault = now() + 1000 + static_cast<std::int64_t>(rng_() % 1000);
      }
      lead();
      for (unsigned i = 0; i < kN; ++i) hold(i);
    }
    for (unsigned i = 0; i < kN; ++i) stop_acting(i);
    return history_;
  }

  unsigned grants() const { return grants_; }

 private:
  std::int64_t now() { return static_cast<std::int64_t>(raft_fixture_time(&f_)); }
  raft* server(unsigned i) { return raft_fixture_get(&f_, i); }
  bool reachable(unsigned a, unsigned b) {
    return a == b || (!raft_fixture_saturated(&f_, a, b) && !raft_fixture_saturated(&f_, b, a));
  }

  Proposal* propose(unsigned on, const Command& c) {
    proposals_.push_back(std::make_unique<Proposal>());
    Proposal* p = proposals_.back().get();
    p->bridge = bridges_[on].get();
    p->req.data = p;
    raft_buffer buf = pad(encode(c));
    if (raft_apply(server(on), &p->req, &buf, 1, [](struct raft_apply* q, int st, void* res) {
          auto* p = static_cast<Proposal*>(q->data);
          p->status = st;
          if (st == 0) p->result = decode_result(p->bridge->take_result(res).value_or(""));
        }) != 0) {
      raft_free(buf.base);
      p->status = RAFT_NOTLEADER;
    }
    return p;
  }

  std::string id() { return "h" + std::to_string(++ids_); }
  static std::string node(unsigned i) { return node_name(i); }

  /// One seeded fault: kill or revive a server, or partition / heal one.
  void fault() {
    const unsigned i = rng_() % kN;
    const unsigned kind = rng_() % 4;
    unsigned down = 0;
    for (unsigned j = 0; j < kN; ++j) down += raft_fixture_alive(&f_, j) ? 0 : 1;
    if (kind == 0 && down == 0) {
      raft_fixture_kill(&f_, i);
      stop_acting(i);  // the process is gone, and so is its memory
      clocks_[i].reset();
    } else if (kind == 1 && !raft_fixture_alive(&f_, i)) {
      raft_fixture_revive(&f_, i);
    } else if (kind == 2) {
      for (unsigned j = 0; j < kN; ++j)
        if (j != i) {
          raft_fixture_saturate(&f_, i, j);
          raft_fixture_saturate(&f_, j, i);
        }
    } else {
      for (unsigned a = 0; a < kN; ++a)
        for (unsigned b = 0; b < kN; ++b)
          if (a != b) raft_fixture_desaturate(&f_, a, b);
    }
  }

  /// The leader's side: barrier after election, then lease_logic decisions.
  void lead() {
    std::optional<unsigned> leader;
    for (unsigned i = 0; i < kN; ++i)
      if (raft_fixture_alive(&f_, i) && raft_state(server(i)) == RAFT_LEADER) leader = i;
    if (!leader) return;
    const unsigned l = *leader;
    const raft_term term = server(l)->current_term;
    if (lead_term_ != term || lead_server_ != l) {
      lead_term_ = term;
      lead_server_ = l;
      barrier_ = propose(l, SetConfig{.id = id(), .values = {{"leader", l}}});
      ready_ = false;
      decision_ = nullptr;
    }
    if (!ready_) {
      if (barrier_->status == -1) return;
      if (barrier_->status != 0) {
        lead_term_ = 0;  // try again
        return;
      }
      ready_ = true;
      leader_since_ = now();
      observer_ = LeaseObserver{};
    }
    observer_.observe(fsms_[l].leases(), now());
    if (decision_ && decision_->status == -1) return;
    std::vector<Candidate> candidates;
    for (unsigned i = 0; i < kN; ++i)
      candidates.push_back(Candidate{.node = node(i),
                                     .healthy = raft_fixture_alive(&f_, i) && reachable(i, l),
                                     .priority = static_cast<int>(i)});
    LeaderDecision d = decide(kSpec, fsms_[l].lease("lb-leader"), candidates,
                              LeaderView{.now_ms = now(),
                                         .leader_since_ms = leader_since_,
                                         .observed = observer_.get("lb-leader")});
    const std::string clock = "s" + std::to_string(l) + "t" + std::to_string(term);
    if (d.action == LeaderAction::grant) {
      decision_ = propose(l, LeaseGrant{.id = id(),
                                        .lease = "lb-leader",
                                        .holder = d.to,
                                        .ttl_ms = kTtl,
                                        .now_ms = now(),
                                        .clock = clock,
                                        .expect_revision = d.expect_revision});
      ++grants_;
    } else if (d.action == LeaderAction::expire) {
      decision_ = propose(l, LeaseExpire{.id = id(),
                                         .lease = "lb-leader",
                                         .expect_revision = *d.expect_revision,
                                         .now_ms = now(),
                                         .clock = clock});
    }
  }

  /// Node i's holder side: learn grants from its replica, renew via the leader it knows.
  void hold(unsigned i) {
    if (!raft_fixture_alive(&f_, i)) return;
    if (!clocks_[i]) clocks_[i] = std::make_unique<HolderClock>(HolderTiming{kTtl, kMargin});
    HolderClock& h = *clocks_[i];
    const LeaseRecord* rec = fsms_[i].lease("lb-leader");
    if (rec && rec->holder == node(i) && (!h.holding() || h.token() != rec->token))
      h.granted(rec->token, now() - kTtl);
    else if (h.holding() && (!rec || rec->holder != node(i) || rec->token != h.token()))
      h.drop("the replica shows the lease elsewhere");
    if (renewal_[i] && renewal_[i]->status != -1) {
      if (renewal_[i]->status == 0 && *renewal_[i]->result)
        h.renewal_committed();
      else
        h.renewal_failed(renewal_[i]->status == 0);  // committed but refused: lease moved
      renewal_[i] = nullptr;
    }
    HolderStep step = h.tick(now());
    if (step.started) acting_[i] = Interval{i, h.token(), now(), 0};
    if (step.stopped) stop_acting(i);
    if (step.send_renewal) {
      raft_id lid = 0;
      const char* addr = nullptr;
      raft_leader(server(i), &lid, &addr);
      h.renewal_sent(now());
      const unsigned l = static_cast<unsigned>(lid) - 1;
      if (lid == 0 || !raft_fixture_alive(&f_, l) || !reachable(i, l)) {
        h.renewal_failed(false);  // nobody to ask
        return;
      }
      renewal_[i] = propose(l, LeaseRenew{.id = id(),
                                          .lease = "lb-leader",
                                          .holder = node(i),
                                          .token = h.token(),
                                          .now_ms = now(),
                                          .clock = "x"});
      if (renewal_[i]->status != -1 && renewal_[i]->status != 0) {
        h.renewal_failed(false);
        renewal_[i] = nullptr;
      }
    }
  }

  void stop_acting(unsigned i) {
    if (!acting_[i]) return;
    acting_[i]->end = now();
    history_.push_back(*acting_[i]);
    acting_[i].reset();
  }

  std::vector<std::unique_ptr<Proposal>> proposals_;  // outlive every raft callback
  raft_fixture f_;
  std::array<StateMachine, kN> fsms_;
  std::array<std::unique_ptr<FsmBridge>, kN> bridges_;
  std::array<std::unique_ptr<HolderClock>, kN> clocks_;
  std::array<Proposal*, kN> renewal_{};
  std::array<std::optional<Interval>, kN> acting_;
  std::vector<Interval> history_;
  std::mt19937 rng_;
  unsigned ids_ = 0, grants_ = 0;
  raft_term lead_term_ = 0;
  unsigned lead_server_ = kN;
  bool ready_ = false;
  std::int64_t leader_since_ = 0;
  Proposal* barrier_ = nullptr;
  Proposal* decision_ = nullptr;
  LeaseObserver observer_;
};

/// No two nodes act at overlapping times; tokens grow with every change of actor (the same
/// checker the multi-process tests use).
void check_history(const std::vector<Interval>& history, unsigned seed) {
  std::vector<constellation::testing::ActingInterval> intervals;
  for (const Interval& i : history)
    intervals.push_back(constellation::testing::ActingInterval{.node = node_name(i.node),
                                                               .lease = "lb-leader",
                                                               .token = i.token,
                                                               .from_ms = i.start,
                                                               .until_ms = i.end});
  for (const std::string& violation : constellation::testing::lease_violations(intervals))
    ADD_FAILURE() << "seed " << seed << ": " << violation;
}

TEST(LeaseHistory, NoTwoNodesEverActUnderTheLeaseAtOnceAcrossSeededFaults) {
  std::size_t intervals = 0, handovers = 0;
  for (unsigned seed = 1; seed <= 60; ++seed) {
    auto sim = std::make_unique<LeaseSim>(seed);
    auto history = sim->run(30'000);
    intervals += history.size();
    for (std::size_t k = 1; k < history.size(); ++k)
      handovers += history[k].node != history[k - 1].node ? 1 : 0;
    check_history(history, seed);
  }
  // The schedule must actually exercise the protocol: many acting periods and hand-overs.
  std::printf("lease history: %zu acting periods, %zu hand-overs\n", intervals, handovers);
  EXPECT_GT(intervals, 100u);
  EXPECT_GT(handovers, 20u);
}

}  // namespace
}  // namespace constellation::consensus
