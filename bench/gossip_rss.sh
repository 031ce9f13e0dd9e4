#!/usr/bin/env bash
# Agent memory with gossip in a 20-node view: 20 of our agents on loopback, converged (each
# lists 20 alive), then VmRSS and PSS (/proc/PID/smaps_rollup) of one agent and the mean of all
# 20, beside one agent alone (what the 20-node view adds); the anchor is the same for serf
# agents measured the same way in the same run.
# Usage: gossip_rss.sh [BUILD_DIR] [NODES]  (NODES also from GOSSIP_BENCH_NODES; 20)
BIN=$(realpath "${1:-build-bench}/constellation")
NODES=${2:-${GOSSIP_BENCH_NODES:-20}}
SETTLE=${GOSSIP_BENCH_SETTLE:-10}  # seconds of steady gossip before measuring
# shellcheck source=bench/gossip_lib.sh
source "$(dirname "$0")/gossip_lib.sh"

# kb FIELD PID [FILE]: a kB figure from /proc/PID/FILE (status by default).
kb() { awk -v f="$1" '$1 == f {print $2}' "/proc/$2/${3:-status}"; }
mb() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }

# measure KIND COUNT: start COUNT members, wait for convergence and SETTLE s, print
# "one_rss one_pss mean_rss mean_pss" in kB (one = the last member to join), stop them.
measure() {
  local kind=$1 count=$2 names=() seed="" port
  for ((i = 1; i <= count; i++)); do
    local name="$kind-$count-$i"
    names+=("$name")
    port=$(free_port)
    if [[ $kind == ours ]]; then
      start_ours "$name" "127.0.0.1:$port" ${seed:+--join "$seed"}
      wait_ready "$name"
    else
      start_serf "$name" 127.0.0.1 "$port" -log-level err ${seed:+-join "$seed"}
      for _ in $(seq 100); do [[ "$(serf_alive "$name")" -ge 1 ]] && break; sleep 0.1; done
    fi
    [[ -n $seed ]] || seed="127.0.0.1:$port"
  done
  wait_converged "$kind" "$count" "${names[@]}"
  sleep "$SETTLE"
  wait_converged "$kind" "$count" "${names[@]}"
  local one=${PID_OF[${names[-1]}]} rss_sum=0 pss_sum=0
  for name in "${names[@]}"; do
    rss_sum=$((rss_sum + $(kb VmRSS: "${PID_OF[$name]}")))
    pss_sum=$((pss_sum + $(kb Pss: "${PID_OF[$name]}" smaps_rollup)))
  done
  echo "$(kb VmRSS: "$one") $(kb Pss: "$one" smaps_rollup) $((rss_sum / count)) $((pss_sum / count))"
  for name in "${names[@]}"; do kill -9 "${PID_OF[$name]}" 2>/dev/null || true; done
  for name in "${names[@]}"; do wait "${PID_OF[$name]}" 2>/dev/null || true; done
}

# Not in subshells: the EXIT trap must see every PID.
measure ours 1 >"$WORK/ours-alone.kb"
measure serf 1 >"$WORK/serf-alone.kb"
measure ours "$NODES" >"$WORK/ours.kb"
measure serf "$NODES" >"$WORK/serf.kb"
read -r o1_rss o1_pss _ <"$WORK/ours-alone.kb"
read -r s1_rss s1_pss _ <"$WORK/serf-alone.kb"
read -r o_rss o_pss o_mrss o_mpss <"$WORK/ours.kb"
read -r s_rss s_pss s_mrss s_mpss <"$WORK/serf.kb"
echo "Gossip agent memory in a $NODES-node view on loopback, after ${SETTLE} s converged"
echo "(anchor: serf agents alone and in a $NODES-node serf cluster, measured the same way)"
pair_row "case (MB)" "ours" "serf" ""
pair_row "RSS of one agent, alone" "$(mb "$o1_rss")" "$(mb "$s1_rss")" "(no peers: the baseline)"
pair_row "PSS of one agent, alone" "$(mb "$o1_pss")" "$(mb "$s1_pss")" ""
pair_row "RSS of one agent" "$(mb "$o_rss")" "$(mb "$s_rss")" "(target <= 10 MB)"
pair_row "PSS of one agent" "$(mb "$o_pss")" "$(mb "$s_pss")" "(shared library pages split)"
pair_row "RSS, mean of $NODES" "$(mb "$o_mrss")" "$(mb "$s_mrss")" ""
pair_row "PSS, mean of $NODES" "$(mb "$o_mpss")" "$(mb "$s_mpss")" ""
