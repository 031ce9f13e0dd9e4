// Gossip timing: the two named profiles (memberlist's LAN defaults and our faster default for
// small clusters) and the formulas memberlist derives from them (suspicion bounds, retransmit
// limit, push/pull scaling). Pure values and functions so the core and tests share one source.
#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

#include "shared/error.hpp"

namespace constellation::gossip {

using Millis = std::chrono::milliseconds;

/// Every timer and multiplier of the protocol; each field is overridable after picking a
/// profile. Field comments name the memberlist Config field.
struct Timing {
  Millis probe_interval{1000};         ///< ProbeInterval
  Millis probe_timeout{500};           ///< ProbeTimeout (direct ack wait, not scaled)
  Millis gossip_interval{200};         ///< GossipInterval
  int gossip_nodes = 3;                ///< GossipNodes (fanout per gossip tick)
  int indirect_checks = 3;             ///< IndirectChecks
  int suspicion_mult = 4;              ///< SuspicionMult
  int suspicion_max_timeout_mult = 6;  ///< SuspicionMaxTimeoutMult
  int retransmit_mult = 4;             ///< RetransmitMult
  Millis push_pull_interval{30000};    ///< PushPullInterval (0 disables)
  int awareness_max_multiplier = 8;    ///< AwarenessMaxMultiplier
  Millis gossip_to_the_dead{30000};    ///< GossipToTheDeadTime
  Millis reap_dead_after{3600000};     ///< dead/left members are forgotten after this
  Millis reconnect_interval{30000};    ///< push/pull with one dead member (serf's reconnect;
                                       ///< heals partitions); 0 disables
  Millis stream_timeout{10000};        ///< TCPTimeout: push/pull and join streams
  Millis join_retry_initial{1000};     ///< first join retry delay, doubled per failure
  Millis join_retry_max{30000};        ///< cap of the join backoff
  int join_max_attempts = 0;           ///< 0: retry forever
  Millis leave_timeout{5000};          ///< longest wait for the leave broadcast to go out
  bool tcp_fallback_ping = true;       ///< !DisableTcpPings

  /// memberlist's DefaultLANConfig, what `serf agent` uses.
  static Timing lan();
  /// Our default for 3-20 node clusters: probe 400 ms / timeout 160 ms / gossip 100 ms, a
  /// 0.8 s suspicion window (SuspicionMult 2, so no confirmations are awaited below 100
  /// nodes) and RetransmitMult 6, so a dead node is declared in about 1.5 s while a suspected live
  /// node still gets ~10 gossip rounds to refute. Timeouts stay far above Tailscale RTTs
  /// (<50 ms); push/pull every 15 s, reconnect to dead members every 5 s. See timing.cpp.
  static Timing fast();
};

/// Profile by name ("lan", "fast"); nullptr-like false when unknown.
bool timing_profile(std::string_view name, Timing& out);
/// Applies one "NAME=VALUE" override (durations like 300ms, counts as integers) from the
/// gossip_timing option; bad_config naming the entry, the known names or the minimum.
Status apply_timing_override(Timing& timing, std::string_view assignment);
/// The names apply_timing_override accepts, in the order the man page lists them.
std::vector<std::string_view> timing_field_names();

/// Suspicion minimum: SuspicionMult * max(1, log10(max(1, n))) * ProbeInterval.
Millis suspicion_min_timeout(int suspicion_mult, std::size_t n, Millis probe_interval);
/// Time a suspicion lasts after `confirmations` independent confirmations out of `k` expected:
/// max - log(c+1)/log(k+1) * (max - min), never below min; min when k < 1 (suspicion.go).
Millis suspicion_timeout(std::size_t confirmations, std::size_t k, Millis min, Millis max);
/// Transmit limit of a broadcast: RetransmitMult * ceil(log10(n + 1)).
int retransmit_limit(int retransmit_mult, std::size_t n);
/// Push/pull interval scaled for clusters above 32 nodes (util.go pushPullScale).
Millis push_pull_scale(Millis interval, std::size_t n);

}  // namespace constellation::gossip
