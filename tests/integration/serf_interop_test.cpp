// Interop with a real HashiCorp peer, Debian's `serf agent` on loopback, over the whole matrix:
// who joins whom (our --join vs `serf join`), plaintext or AES-GCM encrypted (serf -encrypt and
// our gossip_keyring with the same key), and which side is killed -9. Each side must list the
// other alive, then see the killed one dead/failed. An encrypted serf and a plaintext agent
// must not form a cluster. Waits poll with generous deadlines; nothing asserts on timing.
#include <sys/stat.h>
#include <csignal>
#include <fstream>
#include <ostream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/gossip.hpp"
#include "tests/harness/process.hpp"

using namespace constellation::testing;

namespace {
// 32 bytes (AES-256), as `serf keygen` prints them.
constexpr const char* kKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

struct Case {
  bool serf_joins_us;  ///< `serf join OUR_ADDRESS`; otherwise our agent starts with --join SERF
  bool encrypted;
  bool kill_ours;  ///< kill -9 our agent (serf must see it failed); otherwise kill serf
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  return std::string(info.param.serf_joins_us ? "SerfJoinsUs" : "WeJoinSerf") +
         (info.param.encrypted ? "_Encrypted" : "_Plaintext") +
         (info.param.kill_ours ? "_KillOurs" : "_KillSerf");
}

// A keyring file holding kKey, mode 0600 as the agent demands.
std::string keyring_file(const TempDir& dir) {
  const std::string path = dir.file("gossip.keys");
  std::ofstream(path) << kKey << "\n";
  ::chmod(path.c_str(), 0600);
  return path;
}

std::string our_address(const Agent& agent) {
  return "127.0.0.1:" + std::to_string(agent.gossip_port().value_or(0));
}

void PrintTo(const Case& c, std::ostream* out) {
  *out << (c.serf_joins_us ? "serf joins us" : "we join serf")
       << (c.encrypted ? ", encrypted" : ", plaintext")
       << (c.kill_ours ? ", kill ours" : ", kill serf");
}

class SerfInterop : public ::testing::TestWithParam<Case> {};
}  // namespace

TEST_P(SerfInterop, EachSideListsTheOtherAliveAndSeesTheKilledOneDie) {
  const Case c = GetParam();
  TempDir dir;
  SerfAgent serf(dir, {.node = "serf-peer", .encrypt_key = c.encrypted ? kKey : ""});
  ASSERT_TRUE(eventually([&] { return serf.status_of("serf-peer") == "alive"; }))
      << serf.process().log();

  std::vector<std::string> args;
  if (c.encrypted) args = {"--gossip-keyring", keyring_file(dir)};
  if (!c.serf_joins_us) args.insert(args.end(), {"--join", serf.gossip_address()});
  Agent ours(dir, {.node = "ours", .extra_args = args});
  ASSERT_TRUE(ours.gossip_port().has_value());
  if (c.serf_joins_us) {
    auto joined = serf.join(our_address(ours));
    ASSERT_EQ(joined.exit_code, 0) << joined.out << joined.err << serf.process().log();
  }

  ASSERT_TRUE(eventually([&] { return serf.status_of("ours") == "alive"; }))
      << serf.members().dump() << serf.process().log();
  ASSERT_TRUE(eventually([&] { return member_state(ours, "serf-peer") == "alive"; }))
      << members_of(ours).dump();

  if (c.kill_ours) {
    ours.process().signal(SIGKILL);
    ours.process().wait(std::chrono::seconds(5));
    EXPECT_TRUE(eventually([&] { return serf.status_of("ours") == "failed"; }))
        << serf.members().dump();
  } else {
    serf.process().signal(SIGKILL);
    serf.process().wait(std::chrono::seconds(5));
    EXPECT_TRUE(eventually([&] { return member_state(ours, "serf-peer") == "dead"; }))
        << members_of(ours).dump();
    EXPECT_TRUE(eventually([&] { return journaled(ours, "member.dead", "serf-peer"); }));
  }
}

INSTANTIATE_TEST_SUITE_P(Matrix, SerfInterop,
                         ::testing::Values(Case{false, false, false}, Case{false, false, true},
                                           Case{true, false, false}, Case{true, false, true},
                                           Case{false, true, false}, Case{false, true, true},
                                           Case{true, true, false}, Case{true, true, true}),
                         case_name);

TEST(SerfInteropEncryption, EncryptedSerfAndPlaintextAgentDoNotFormACluster) {
  TempDir dir;
  SerfAgent serf(dir, {.node = "serf-peer", .encrypt_key = kKey});
  ASSERT_TRUE(eventually([&] { return serf.status_of("serf-peer") == "alive"; }))
      << serf.process().log();
  Agent ours(dir, {.node = "ours", .extra_args = {"--join", serf.gossip_address()}});
  ASSERT_TRUE(ours.gossip_port().has_value());

  // serf's encrypted push/pull reaches us and is refused, so its join fails...
  auto joined = serf.join(our_address(ours));
  EXPECT_NE(joined.exit_code, 0) << joined.out;
  EXPECT_TRUE(eventually([&] { return gossip_drops(ours).value_or(0) > 0; }))
      << "serf's encrypted traffic was never counted as dropped";
  // ...and our plaintext join (at start, retried with backoff) is refused by serf, in serf
  // 0.9.4's words: "Encryption is configured but remote state is not encrypted".
  EXPECT_TRUE(eventually([&] {
    return serf.process().log().find("remote state is not encrypted") != std::string::npos;
  })) << serf.process().log();
  EXPECT_EQ(members_of(ours).size(), 1u) << members_of(ours).dump();
  EXPECT_EQ(serf.members().size(), 1u) << serf.members().dump();
  EXPECT_TRUE(ours.process().running());
  EXPECT_TRUE(serf.process().running());
}
