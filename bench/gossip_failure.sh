#!/usr/bin/env bash
# Failure detection after kill -9 in a 5-node loopback cluster: our agents (profile fast, then
# lan) against five `serf agent`s (memberlist's LAN defaults), one cluster at a time, in the
# same run. Each round kills one node, polls the four others every 50 ms (in parallel) until
# one reports it dead (ours) or failed (serf), then restarts it under the same name and address
# and waits until all five list five alive again. Prints median and max seconds per system.
# Usage: gossip_failure.sh [BUILD_DIR] [ROUNDS]  (ROUNDS also from GOSSIP_BENCH_ROUNDS; 5)
BIN=$(realpath "${1:-build-bench}/constellation")
ROUNDS=${2:-${GOSSIP_BENCH_ROUNDS:-5}}
# shellcheck source=bench/gossip_lib.sh
source "$(dirname "$0")/gossip_lib.sh"

# first_report KIND VICTIM STATE OBSERVERS...: prints the observers that list VICTIM in STATE.
first_report() {
  local kind=$1 victim=$2 state=$3
  shift 3
  for observer in "$@"; do
    ([[ "$("${kind}_state" "$observer" "$victim")" == "$state" ]] && echo "$observer") &
  done
  wait
}

# journal_dead_ms OBSERVER VICTIM SINCE_MS: when OBSERVER journaled VICTIM dead (epoch ms).
journal_dead_ms() {
  curl -s --max-time 2 --unix-socket "${SOCK_OF[$1]}" \
    "http://localhost/api/v1/events?kind=member.dead&subject=$2&since_ms=$3" 2>/dev/null |
    jq '.events[0].time_ms // empty' 2>/dev/null || true
}

# start_member KIND NAME PORT SEED_ADDR PROFILE: one member joining SEED_ADDR ("" for the seed).
start_member() {
  local kind=$1 name=$2 port=$3 seed=$4 profile=$5
  if [[ $kind == ours ]]; then
    start_ours "$name" "127.0.0.1:$port" --gossip-profile "$profile" ${seed:+--join "$seed"}
    wait_ready "$name"
  else
    start_serf "$name" 127.0.0.1 "$port" -log-level err ${seed:+-join "$seed"}
    for _ in $(seq 100); do [[ "$(serf_alive "$name")" -ge 1 ]] && break; sleep 0.1; done
  fi
}

# measure KIND PROFILE DEAD_STATE: ROUNDS kill/detect/restart rounds; detection ms to a file.
measure() {
  local kind=$1 profile=$2 dead=$3 label="$1-$2"
  local names=() ports=() seed=""
  for i in 1 2 3 4 5; do
    names+=("$label-$i")
    ports+=("$(free_port)")
  done
  for i in 0 1 2 3 4; do
    start_member "$kind" "${names[$i]}" "${ports[$i]}" "$seed" "$profile"
    seed="127.0.0.1:${ports[0]}"
  done
  wait_converged "$kind" 5 "${names[@]}"
  : >"$WORK/$label.ms"
  for ((round = 0; round < ROUNDS; round++)); do
    local v=$((1 + round % 4)) victim=${names[$((1 + round % 4))]} observers=()
    for name in "${names[@]}"; do [[ $name == "$victim" ]] || observers+=("$name"); done
    local start_ms
    start_ms=$(now_ms)
    kill -9 "${PID_OF[$victim]}"
    wait "${PID_OF[$victim]}" 2>/dev/null || true
    local seen=""
    for _ in $(seq 1200); do  # at most ~60 s
      seen=$(first_report "$kind" "$victim" "$dead" "${observers[@]}")
      [[ -n $seen ]] && break
      sleep 0.05
    done
    [[ -n $seen ]] || { echo "$label: $victim was never reported $dead" >&2; return 1; }
    echo $(($(now_ms) - start_ms)) >>"$WORK/$label.ms"
    if [[ $kind == ours ]]; then  # the same, timed by the observers' journals
      for observer in "${observers[@]}"; do
        journal_dead_ms "$observer" "$victim" "$start_ms"
      done | sort -n | head -1 | awk -v s="$start_ms" '{print $1 - s}' >>"$WORK/$label.journal.ms"
    fi
    start_member "$kind" "$victim" "${ports[$v]}" "$seed" "$profile"
    wait_converged "$kind" 5 "${names[@]}"
  done
  for name in "${names[@]}"; do kill -9 "${PID_OF[$name]}" 2>/dev/null || true; done
  for name in "${names[@]}"; do wait "${PID_OF[$name]}" 2>/dev/null || true; done
}

measure ours fast dead
measure ours lan dead
measure serf lan failed

secs() { awk '{printf "%.3f\n", $1/1000}' "$WORK/$1.ms" | median_max; }
read -r fast_med fast_max < <(secs ours-fast)
read -r lan_med lan_max < <(secs ours-lan)
read -r serf_med serf_max < <(secs serf-lan)
read -r jfast_med _ < <(secs ours-fast.journal)
read -r jlan_med _ < <(secs ours-lan.journal)
echo "Gossip failure detection: kill -9 -> first of 4 peers reports it dead, 5 nodes on loopback,"
echo "$ROUNDS rounds each, 50 ms polling (anchor: serf $(serf version | head -1), LAN defaults)"
pair_row "case (seconds)" "ours" "serf" ""
pair_row "fast profile (default), median" "$fast_med" "$serf_med" "(target <= 2 s)"
pair_row "fast profile (default), max" "$fast_max" "$serf_max" ""
pair_row "lan profile, median" "$lan_med" "$serf_med" "(same timers as serf)"
pair_row "lan profile, max" "$lan_max" "$serf_max" ""
pair_row "fast, median by journal time" "$jfast_med" "-" "(member.dead event time; no polling lag)"
pair_row "lan, median by journal time" "$jlan_med" "-" ""
