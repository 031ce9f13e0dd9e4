// RaftLog on real disks and loopback TCP, several instances in one process sharing one asio
// loop: election with the post-election barrier, commits visible on every replica, failover
// after the leader stops, "not the leader" answers, a clean restart of the whole cluster
// keeping every committed command (the 8-byte padding rule), joining a voter later, 1 MiB
// segments, and a clear error for an unusable data directory.
#include "agent/consensus/raft_log.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <optional>

#include <stdlib.h>

#include <gtest/gtest.h>

#include "agent/consensus/raft_recover.hpp"
#include "agent/consensus/state_machine.hpp"

namespace constellation::consensus {
namespace {

using namespace std::chrono_literals;

/// A temporary directory removed on destruction (the black-box harness has one too, but
/// linking it would pull Beast into this unit test).
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "raftlog-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// A loopback TCP port that was free a moment ago.
int free_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

constexpr unsigned kMaxNodes = 4;

class LoopbackCluster {
 public:
  explicit LoopbackCluster(unsigned initial) : initial_(initial) {
    for (unsigned i = 0; i < kMaxNodes; ++i)
      addresses_[i] = "127.0.0.1:" + std::to_string(free_port());
  }
  ~LoopbackCluster() {
    for (auto& log : logs_) log.reset();
  }

  RaftOptions options(unsigned i, bool bootstrap) {
    RaftOptions o{.id = i + 1,
                  .address = addresses_[i],
                  .dir = std::filesystem::path(dir_.path()) / ("n" + std::to_string(i)) / "raft",
                  .election_timeout = 300ms,
                  .heartbeat = 30ms};
    if (bootstrap)
      for (unsigned j = 0; j < initial_; ++j)
        o.bootstrap.push_back(Member{.id = j + 1, .address = addresses_[j], .voter = true});
    return o;
  }

  Status start(unsigned i, bool bootstrap = true) {
    fsms_[i] = std::make_unique<StateMachine>();
    auto log = RaftLog::start(io_, options(i, bootstrap), *fsms_[i]);
    if (!log) return std::unexpected(log.error());
    logs_[i] = std::move(*log);
    return {};
  }
  void stop(unsigned i) { logs_[i].reset(); }
  RaftLog* log(unsigned i) { return logs_[i].get(); }

  /// Runs the loop until `done` holds or `limit` passes.
  template <typename Pred>
  bool run_until(Pred done, std::chrono::milliseconds limit = 20s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= until) return false;
      io_.restart();
      io_.run_for(5ms);
    }
    return true;
  }

  /// A running node that is leader with its barrier applied, and a term above `above`.
  std::optional<unsigned> ready_leader(std::uint64_t above = 0) {
    for (unsigned i = 0; i < kMaxNodes; ++i)
      if (logs_[i] && logs_[i]->status().ready && logs_[i]->status().term > above) return i;
    return std::nullopt;
  }
  std::optional<unsigned> await_leader(std::uint64_t above = 0) {
    std::optional<unsigned> found;
    run_until([&] { return (found = ready_leader(above)).has_value(); });
    return found;
  }

  Result<ApplyResult> propose(unsigned i, const Command& command) {
    std::optional<Result<std::string>> out;
    logs_[i]->propose(encode(command), [&](Result<std::string> r) { out = std::move(r); });
    if (!run_until([&] { return out.has_value(); }))
      return fail(ErrorCode::timeout, "proposal did not complete");
    if (!*out) return std::unexpected(out->error());
    return decode_result(**out);
  }

  /// Reads this replica's state machine on its raft thread.
  std::string read(unsigned i, std::function<std::string(const StateMachine&)> fn) {
    std::optional<std::string> out;
    logs_[i]->read([fn](const Applier& a) { return fn(static_cast<const StateMachine&>(a)); },
                   [&](std::string text) { out = std::move(text); });
    run_until([&] { return out.has_value(); }, 5s);
    return out.value_or("<no answer>");
  }
  /// Waits until `fn` on replica `i` returns `want`.
  bool replica_shows(unsigned i, std::function<std::string(const StateMachine&)> fn,
                     const std::string& want) {
    return run_until([&] { return read(i, fn) == want; }, 10s);
  }

  std::filesystem::path raft_dir(unsigned i) { return options(i, false).dir; }
  const std::string& address(unsigned i) const { return addresses_[i]; }

 private:
  unsigned initial_;
  asio::io_context io_;
  TempDir dir_;
  std::array<std::string, kMaxNodes> addresses_;
  std::array<std::unique_ptr<StateMachine>, kMaxNodes> fsms_;
  std::array<std::unique_ptr<RaftLog>, kMaxNodes> logs_;
};

int ids = 0;
std::string id() {
  return "lb-" + std::to_string(++ids);
}

std::string holder_of(const StateMachine& s) {
  const LeaseRecord* r = s.lease("lb-leader");
  return r ? r->holder + "/" + std::to_string(r->token) : "none";
}

CordonNode cordon_cmd(std::string node, std::string reason) {
  return CordonNode{.id = id(),
                    .node = std::move(node),
                    .reason = std::move(reason),
                    .actor = "test",
                    .at_unix_ms = 1};
}

TEST(RaftLog, ThreeNodesElectCommitEverywhereAndSurviveTheLeaderStopping) {
  LoopbackCluster c(3);
  for (unsigned i = 0; i < 3; ++i) ASSERT_TRUE(c.start(i)) << "node " << i;
  auto leader = c.await_leader();
  ASSERT_TRUE(leader) << "no leader elected";
  auto granted = c.propose(*leader, LeaseGrant{.id = id(),
                                               .lease = "lb-leader",
                                               .holder = "n1",
                                               .ttl_ms = 3000,
                                               .now_ms = 1,
                                               .clock = "t"});
  ASSERT_TRUE(granted) << granted.error().message;
  ASSERT_TRUE(*granted) << granted->error().message;
  EXPECT_EQ((*granted)->token, 1u);
  for (unsigned i = 0; i < 3; ++i) EXPECT_TRUE(c.replica_shows(i, holder_of, "n1/1")) << i;

  // A follower answers with the leader's address instead of proposing.
  const unsigned follower = (*leader + 1) % 3;
  auto refused = c.propose(follower, cordon_cmd("n2", "x"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::unavailable);
  EXPECT_NE(refused.error().message.find("the leader is raft id " + std::to_string(*leader + 1) +
                                         " at " + c.address(*leader)),
            std::string::npos)
      << refused.error().message;

  const std::uint64_t term = c.log(*leader)->status().term;
  c.stop(*leader);
  auto next = c.await_leader(term);
  ASSERT_TRUE(next) << "no new leader after the old one stopped";
  auto cordoned = c.propose(*next, cordon_cmd("n1", "kernel upgrade"));
  ASSERT_TRUE(cordoned) << cordoned.error().message;
  ASSERT_TRUE(*cordoned) << cordoned->error().message;
  auto is_cordoned = [](const StateMachine& s) { return s.cordoned("n1") ? "yes" : "no"; };
  for (unsigned i = 0; i < 3; ++i) {
    if (i == *leader) continue;
    EXPECT_TRUE(c.replica_shows(i, is_cordoned, "yes")) << i;
    EXPECT_EQ(c.read(i, holder_of), "n1/1") << i;
  }
}

TEST(RaftLog, CleanRestartOfTheWholeClusterKeepsEveryCommittedCommand) {
  LoopbackCluster c(3);
  for (unsigned i = 0; i < 3; ++i) ASSERT_TRUE(c.start(i));
  auto leader = c.await_leader();
  ASSERT_TRUE(leader);
  // Reasons of every length modulo 8, so unpadded entries would misalign the segment.
  for (int k = 0; k < 24; ++k) {
    auto r = c.propose(*leader, cordon_cmd("node" + std::to_string(k), std::string(k + 1, 'r')));
    ASSERT_TRUE(r && *r) << k;
  }
  for (unsigned i = 0; i < 3; ++i) c.stop(i);
  for (unsigned i = 0; i < 3; ++i) ASSERT_TRUE(c.start(i)) << "restart " << i;
  auto again = c.await_leader();
  ASSERT_TRUE(again);
  // One new entry from the new leader commits the old tail everywhere.
  ASSERT_TRUE(c.propose(*again, cordon_cmd("after", "restart")));
  auto count = [](const StateMachine& s) { return std::to_string(s.cordons().size()); };
  for (unsigned i = 0; i < 3; ++i) EXPECT_TRUE(c.replica_shows(i, count, "25")) << i;
  EXPECT_EQ(c.read(*again, [](const StateMachine& s) { return s.cordons().at("node23").reason; }),
            std::string(24, 'r'));
}

TEST(RaftLog, UsesOneMebibyteSegments) {
  LoopbackCluster c(1);
  ASSERT_TRUE(c.start(0));
  auto leader = c.await_leader();
  ASSERT_TRUE(leader);
  ASSERT_TRUE(c.propose(0, cordon_cmd("n", "r")));
  std::uintmax_t biggest = 0;
  ASSERT_TRUE(c.run_until([&] {
    for (const auto& e : std::filesystem::directory_iterator(c.raft_dir(0)))
      if (e.path().filename().string().starts_with("open-"))
        biggest = std::max(biggest, e.file_size());
    return biggest > 0;
  }));
  EXPECT_EQ(biggest, 1u << 20);
}

TEST(RaftLog, LaterNodeJoinsAsAVoterAndReceivesTheLog) {
  LoopbackCluster c(3);
  for (unsigned i = 0; i < 3; ++i) ASSERT_TRUE(c.start(i));
  auto leader = c.await_leader();
  ASSERT_TRUE(leader);
  ASSERT_TRUE(c.propose(*leader, cordon_cmd("early", "before the join")));
  ASSERT_TRUE(c.start(3, /*bootstrap=*/false));
  std::optional<Status> added;
  c.log(*leader)->add_voter(4, c.address(3), [&](Status s) { added = s; });
  ASSERT_TRUE(c.run_until([&] { return added.has_value(); }));
  ASSERT_TRUE(*added) << added->error().message;
  auto is_voter = [&] {
    for (const Member& m : c.log(*leader)->status().members)
      if (m.id == 4 && m.voter) return true;
    return false;
  };
  EXPECT_TRUE(c.run_until(is_voter));
  auto early = [](const StateMachine& s) { return s.cordoned("early") ? "yes" : "no"; };
  EXPECT_TRUE(c.replica_shows(3, early, "yes"));
}

TEST(RaftLog, StartRefusesAnUnusableDataDirectoryWithItsPath) {
  TempDir dir;
  { std::ofstream(dir.file("not-a-dir")) << "x"; }
  asio::io_context io;
  StateMachine fsm;
  RaftOptions o{.id = 1,
                .address = "127.0.0.1:" + std::to_string(free_port()),
                .dir = std::filesystem::path(dir.file("not-a-dir")) / "raft"};
  auto log = RaftLog::start(io, o, fsm);
  ASSERT_FALSE(log);
  EXPECT_NE(log.error().message.find(dir.file("not-a-dir")), std::string::npos)
      << log.error().message;
  o.dir = dir.file("raft");
  o.heartbeat = o.election_timeout;
  auto bad = RaftLog::start(io, o, fsm);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::bad_config);
}

TEST(RaftLog, StandbyJoinsWithRolesAndIsPromotedAndDemotedWithAssign) {
  LoopbackCluster c(3);
  for (unsigned i = 0; i < 3; ++i) ASSERT_TRUE(c.start(i));
  auto first = c.await_leader();
  ASSERT_TRUE(first);
  ASSERT_TRUE(c.propose(*first, cordon_cmd("early", "before the join")));
  ASSERT_TRUE(c.start(3, /*bootstrap=*/false));
  // Each change goes to whoever leads now; a change that lost its leader (a busy test
  // machine can trigger an election) is retried on the next one.
  auto change = [&](std::function<void(RaftLog*, std::function<void(Status)>)> request) {
    Status result = fail(ErrorCode::timeout, "no leader");
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto leader = c.await_leader();
      if (!leader) continue;
      // Shared: a late answer after a timed-out wait must not write into a dead frame.
      auto done = std::make_shared<std::optional<Status>>();
      request(c.log(*leader), [done](Status s) { *done = s; });
      if (!c.run_until([&] { return done->has_value(); })) continue;
      result = **done;
      if (result || result.error().code != ErrorCode::unavailable) break;
    }
    return result;
  };
  auto member_4 = [&]() -> std::optional<Member> {
    auto leader = c.ready_leader();
    if (!leader) return std::nullopt;
    for (const Member& m : c.log(*leader)->status().members)
      if (m.id == 4) return m;
    return Member{.id = 0};
  };
  auto role_of_4 = [&] {
    auto m = member_4();
    if (!m) return std::string("no leader");
    return m->id == 0 ? std::string("absent") : std::string(server_role_name(m->role));
  };
  auto add = change([&](RaftLog* log, auto done) { log->add_standby(4, c.address(3), done); });
  ASSERT_TRUE(add) << add.error().message;
  EXPECT_TRUE(c.run_until([&] { return role_of_4() == "standby"; })) << role_of_4();
  // A standby receives the log without voting.
  auto early = [](const StateMachine& s) { return s.cordoned("early") ? "yes" : "no"; };
  EXPECT_TRUE(c.replica_shows(3, early, "yes"));
  auto promote = change([](RaftLog* log, auto done) { log->assign(4, ServerRole::voter, done); });
  ASSERT_TRUE(promote) << promote.error().message;
  EXPECT_TRUE(c.run_until([&] { return role_of_4() == "voter"; })) << role_of_4();
  auto demote = change([](RaftLog* log, auto done) { log->assign(4, ServerRole::standby, done); });
  ASSERT_TRUE(demote) << demote.error().message;
  EXPECT_TRUE(c.run_until([&] { return role_of_4() == "standby"; })) << role_of_4();
  EXPECT_TRUE(c.run_until([&] {
    auto m = member_4();
    return m && m->id == 4 && m->caught_up;
  }));
  auto removed = change([](RaftLog* log, auto done) { log->remove(4, done); });
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_TRUE(c.run_until([&] { return role_of_4() == "absent"; })) << role_of_4();
}

TEST(RaftLog, RecoveredSurvivorOfALostQuorumLeadsAloneWithItsData) {
  LoopbackCluster c(3);
  for (unsigned i = 0; i < 3; ++i) ASSERT_TRUE(c.start(i));
  auto leader = c.await_leader();
  ASSERT_TRUE(leader);
  for (int k = 0; k < 5; ++k)
    ASSERT_TRUE(c.propose(*leader, cordon_cmd("kept" + std::to_string(k), "before the loss")));
  auto count = [](const StateMachine& s) { return std::to_string(s.cordons().size()); };
  ASSERT_TRUE(c.replica_shows(0, count, "5"));
  for (unsigned i = 0; i < 3; ++i) c.stop(i);

  // Nodes 1 and 2 are lost for good; node 0 alone cannot elect itself.
  ASSERT_TRUE(recover_configuration(c.raft_dir(0), {Member{.id = 1, .address = c.address(0)}}));
  ASSERT_TRUE(c.start(0, /*bootstrap=*/false));
  auto recovered = c.await_leader();
  ASSERT_EQ(recovered, 0u);
  ASSERT_EQ(c.log(0)->status().members.size(), 1u);
  EXPECT_EQ(c.read(0, count), "5");
  EXPECT_TRUE(c.propose(0, cordon_cmd("after", "recovery")));
  EXPECT_EQ(c.read(0, count), "6");
}

TEST(RaftLog, RecoverRefusesADirectoryWithoutRaftStateOrVoters) {
  TempDir dir;
  auto none = recover_configuration(dir.file("missing"), {Member{.id = 1, .address = "a:1"}});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no raft directory at " + dir.file("missing")),
            std::string::npos)
      << none.error().message;
  auto empty = recover_configuration(dir.path(), {Member{.id = 1, .address = "a:1"}});
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("holds no raft state"), std::string::npos);
  EXPECT_FALSE(recover_configuration(dir.path(), {}));
}

}  // namespace
}  // namespace constellation::consensus
