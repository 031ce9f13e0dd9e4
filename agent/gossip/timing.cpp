// Timing profiles, per-timer overrides and memberlist's derived formulas. The fast profile's
// arithmetic for a 5-node cluster: a dead node is probed by someone within ~0.4 s, fails
// after the 0.4 s probe deadline, then is suspect for min = 2 * 1 * 0.4 s = 0.8 s: about
// 1.7 s to the first peer's dead (measured 1.68 s by journal time, 5 real agents). A short
// window leaves little slack for a refutation, so news is sent 6 times (RetransmitMult 6:
// two full fanout rounds in a 5-node cluster) instead of 4; with 4, 5% loss and no TCP
// fallback the simulator saw false deaths at a 1 s window, with 6 none.
#include "agent/gossip/timing.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <variant>

#include "shared/duration.hpp"

namespace constellation::gossip {

Timing Timing::lan() {
  return Timing{};
}

Timing Timing::fast() {
  Timing t;
  t.probe_interval = Millis{400};
  t.probe_timeout = Millis{160};
  t.gossip_interval = Millis{100};
  t.suspicion_mult = 2;
  t.retransmit_mult = 6;
  t.suspicion_max_timeout_mult = 4;
  t.push_pull_interval = Millis{15000};
  t.gossip_to_the_dead = Millis{15000};
  t.reconnect_interval = Millis{5000};
  t.stream_timeout = Millis{2000};
  return t;
}

namespace {
using MillisField = Millis Timing::*;
using IntField = int Timing::*;
struct TimingField {
  std::string_view name;
  std::variant<MillisField, IntField> field;
  std::int64_t min;  ///< smallest accepted value (ms or count)
};
// Every timer and multiplier an operator may override, by its gossip_timing name.
constexpr TimingField kTimingFields[] = {
    {"probe_interval", &Timing::probe_interval, 10},
    {"probe_timeout", &Timing::probe_timeout, 5},
    {"gossip_interval", &Timing::gossip_interval, 10},
    {"gossip_nodes", &Timing::gossip_nodes, 1},
    {"indirect_checks", &Timing::indirect_checks, 0},
    {"suspicion_mult", &Timing::suspicion_mult, 1},
    {"suspicion_max_timeout_mult", &Timing::suspicion_max_timeout_mult, 1},
    {"retransmit_mult", &Timing::retransmit_mult, 1},
    {"push_pull_interval", &Timing::push_pull_interval, 0},
    {"awareness_max_multiplier", &Timing::awareness_max_multiplier, 1},
    {"gossip_to_the_dead", &Timing::gossip_to_the_dead, 0},
    {"reap_dead_after", &Timing::reap_dead_after, 1000},
    {"reconnect_interval", &Timing::reconnect_interval, 100},
    {"stream_timeout", &Timing::stream_timeout, 100},
    {"join_retry_initial", &Timing::join_retry_initial, 10},
    {"join_retry_max", &Timing::join_retry_max, 10},
    {"join_max_attempts", &Timing::join_max_attempts, 0},
    {"leave_timeout", &Timing::leave_timeout, 0},
};
}  // namespace

std::vector<std::string_view> timing_field_names() {
  std::vector<std::string_view> names;
  for (const auto& field : kTimingFields) names.push_back(field.name);
  return names;
}

Status apply_timing_override(Timing& timing, std::string_view assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos)
    return fail(ErrorCode::bad_config, "gossip_timing entry '" + std::string(assignment) +
                                           "' is not NAME=VALUE (e.g. probe_interval=300ms)");
  auto name = assignment.substr(0, eq);
  auto value = assignment.substr(eq + 1);
  for (const auto& field : kTimingFields) {
    if (field.name != name) continue;
    std::int64_t number = 0;
    if (std::holds_alternative<MillisField>(field.field)) {
      auto duration = parse_duration(value);
      if (!duration)
        return fail(ErrorCode::bad_config,
                    "gossip_timing " + std::string(name) + ": " + duration.error().message);
      number = duration->count();
    } else {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (ec != std::errc{} || end != value.data() + value.size())
        return fail(ErrorCode::bad_config, "gossip_timing " + std::string(name) + ": '" +
                                               std::string(value) + "' is not a whole number");
    }
    if (number < field.min)
      return fail(ErrorCode::bad_config,
                  "gossip_timing " + std::string(name) + " must be at least " +
                      std::to_string(field.min) +
                      (std::holds_alternative<MillisField>(field.field) ? " ms" : ""));
    if (auto millis = std::get_if<MillisField>(&field.field))
      timing.** millis = Millis{number};
    else
      timing.*std::get<IntField>(field.field) = static_cast<int>(number);
    return {};
  }
  std::string names;
  for (const auto& field : kTimingFields)
    names += (names.empty() ? "" : ", ") + std::string(field.name);
  return fail(ErrorCode::bad_config,
              "gossip_timing: unknown timer '" + std::string(name) + "'; known: " + names);
}

bool timing_profile(std::string_view name, Timing& out) {
  if (name == "lan") {
    out = Timing::lan();
    return true;
  }
  if (name == "fast") {
    out = Timing::fast();
    return true;
  }
  return false;
}

Millis suspicion_min_timeout(int suspicion_mult, std::size_t n, Millis probe_interval) {
  const double node_scale = std::max(1.0, std::log10(std::max(1.0, static_cast<double>(n))));
  // Same integer steps as Go: scale kept to 1/1000 before multiplying the interval.
  const auto scaled = static_cast<std::int64_t>(node_scale * 1000);
  return Millis{suspicion_mult * scaled * probe_interval.count() / 1000};
}

Millis suspicion_timeout(std::size_t confirmations, std::size_t k, Millis min, Millis max) {
  if (k < 1) return min;
  const double frac =
      std::log(static_cast<double>(confirmations) + 1.0) / std::log(static_cast<double>(k) + 1.0);
  const double raw =
      static_cast<double>(max.count()) - frac * static_cast<double>((max - min).count());
  return std::max(min, Millis{static_cast<std::int64_t>(std::floor(raw))});
}

int retransmit_limit(int retransmit_mult, std::size_t n) {
  const double node_scale = std::ceil(std::log10(static_cast<double>(n) + 1.0));
  return retransmit_mult * static_cast<int>(node_scale);
}

Millis push_pull_scale(Millis interval, std::size_t n) {
  constexpr double kThreshold = 32;
  if (static_cast<double>(n) <= kThreshold) return interval;
  const double mult = std::ceil(std::log2(static_cast<double>(n)) - std::log2(kThreshold)) + 1.0;
  return interval * static_cast<std::int64_t>(mult);
}

}  // namespace constellation::gossip
