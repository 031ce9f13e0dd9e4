#!/usr/bin/env bash
# 5% packet-loss soak: in a private network namespace, 5 of our agents (127.0.0.11-15, default
# profile) and 5 `serf agent`s (127.0.0.21-25, LAN defaults) run side by side while iptables
# drops 5% of every UDP packet at random (statistic match, one rule per cluster so each has its
# own counters). No node is ever stopped, so every dead/failed declaration is a false one:
# counted from our journals (member.dead) and from serf's logs (EventMemberFailed), summed over
# the five observers. Needs root (ip netns, iptables). GOSSIP_SOAK_LOSS sets the drop
# probability, GOSSIP_SOAK_PROTO=all drops TCP too (no TCP fallback ping then).
# Usage: gossip_soak.sh [BUILD_DIR] [SECONDS]  (SECONDS also from GOSSIP_SOAK_SECONDS; 600)
BIN=$(realpath "${1:-build-bench}/constellation")
SECONDS_TO_RUN=${2:-${GOSSIP_SOAK_SECONDS:-600}}
LOSS=${GOSSIP_SOAK_LOSS:-0.05}
PROTO=${GOSSIP_SOAK_PROTO:-udp}  # udp (TCP fallback pings get through), or all
# shellcheck source=bench/gossip_lib.sh
source "$(dirname "$0")/gossip_lib.sh"

if [[ $(id -u) != 0 ]]; then
  echo "gossip_soak.sh needs root (ip netns, iptables); run make bench as root" >&2
  exit 1
fi
make_netns
OURS=() SERF=()
for i in 1 2 3 4 5; do
  OURS+=("ours-$i")
  SERF+=("serf-$i")
  ours_join=() serf_join=()
  if ((i > 1)); then ours_join=(--join 127.0.0.11:7946) serf_join=(-join 127.0.0.21:7946); fi
  start_ours "ours-$i" "127.0.0.1$i:7946" "${ours_join[@]}"
  start_serf "serf-$i" "127.0.0.2$i" 7946 "${serf_join[@]}"
done
for name in "${OURS[@]}"; do wait_ready "$name"; done
wait_converged ours 5 "${OURS[@]}"
wait_converged serf 5 "${SERF[@]}"

# Per cluster: a counting rule (every UDP packet it sends) then the random DROP.
for range in 127.0.0.11-127.0.0.15 127.0.0.21-127.0.0.25; do
  "${NS[@]}" iptables -A OUTPUT -p "$PROTO" -m iprange --src-range "$range"
  "${NS[@]}" iptables -A OUTPUT -p "$PROTO" -m iprange --src-range "$range" \
    -m statistic --mode random --probability "$LOSS" -j DROP
done
start_ms=$(now_ms)
serf_failed_before=$(cat "$WORK"/serf-*.log | grep -c EventMemberFailed || true)
sleep "$SECONDS_TO_RUN"

ours_dead=0
for name in "${OURS[@]}"; do
  n=$(curl -s --unix-socket "${SOCK_OF[$name]}" \
    "http://localhost/api/v1/events?kind=member.dead&since_ms=$start_ms&limit=1000" |
    jq '.events | length')
  ours_dead=$((ours_dead + n))
done
serf_failed=$(($(cat "$WORK"/serf-*.log | grep -c EventMemberFailed || true) - serf_failed_before))
# Packet counters, in rule order: ours counted, ours dropped, serf counted, serf dropped.
mapfile -t pkts < <("${NS[@]}" iptables -L OUTPUT -v -x -n | awk 'NR > 2 {print $1}')
alive_ours=$(for n in "${OURS[@]}"; do ours_alive "$n"; done | sort -n | head -1)
alive_serf=$(for n in "${SERF[@]}"; do serf_alive "$n"; done | sort -n | head -1)

echo "Gossip under ${LOSS} random $PROTO packet loss (iptables statistic), 5 live nodes each, ${SECONDS_TO_RUN} s,"
echo "same namespace and time (anchor: serf $(serf version | head -1), LAN defaults)"
pair_row "case" "ours" "serf" ""
pair_row "false dead declarations (sum of 5 views)" "$ours_dead" "$serf_failed" "(target 0)"
pair_row "fewest alive in any view at the end" "$alive_ours" "$alive_serf" "(5 = converged)"
pair_row "$PROTO packets sent" "${pkts[0]:--}" "${pkts[2]:--}" ""
pair_row "$PROTO packets dropped" "${pkts[1]:--}" "${pkts[3]:--}" ""
