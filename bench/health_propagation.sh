#!/usr/bin/env bash
# Service-health propagation on 3 nodes: how long after the owning agent journals a health
# flip (a TCP check of a port this script opens and closes) every other agent has journaled
# it too, through gossip. Anchor: a serf user event (not coalesced) from one of 3 serf agents
# until the last one's event handler ran, in the same run. Prints median and max. Target: ours <= 1 s.
# Usage: health_propagation.sh [BUILD_DIR] [ROUNDS]  (ROUNDS also from HEALTH_BENCH_ROUNDS; 10)
# shellcheck disable=SC2034  # BIN is read by gossip_lib.sh
BIN=$(realpath "${1:-build-bench}/constellation")
ROUNDS=${2:-${HEALTH_BENCH_ROUNDS:-10}}
# shellcheck source=bench/gossip_lib.sh
source "$(dirname "$0")/gossip_lib.sh"

LISTENER=""
stop_listener() {
  if [[ -n "$LISTENER" ]]; then kill "$LISTENER" 2>/dev/null || true; wait "$LISTENER" 2>/dev/null || true; fi
  LISTENER=""
}
trap 'stop_listener; gossip_cleanup' EXIT

# events NAME KIND SINCE_MS: "time_ms to" per line, oldest first.
events() {
  curl -s --max-time 2 --unix-socket "${SOCK_OF[$1]}" \
    "http://localhost/api/v1/events?kind=$2&subject=probe&since_ms=$3" 2>/dev/null |
    jq -r '.events[] | "\(.time_ms) \(.detail.to)"' 2>/dev/null || true
}

# first_time NAME TO SINCE_MS: when NAME journaled the flip to TO (waits up to 10 s).
first_time() {
  for _ in $(seq 200); do
    local t
    t=$(events "$1" service.health_changed "$3" | awk -v to="$2" '$2 == to {print $1; exit}')
    if [[ -n "$t" ]]; then echo "$t"; return; fi
    sleep 0.05
  done
  echo ""
}

probe_port=$(free_port)
p1=$(free_port) p2=$(free_port) p3=$(free_port)
start_ours n1 "127.0.0.1:$p1" \
  --service-checks "probe=tcp://127.0.0.1:$probe_port;interval=100ms;timeout=200ms"
wait_ready n1
start_ours n2 "127.0.0.1:$p2" --join "127.0.0.1:$p1"
start_ours n3 "127.0.0.1:$p3" --join "127.0.0.1:$p1"
wait_ready n2
wait_ready n3
wait_converged ours 3 n1 n2 n3

ours=()
to=unhealthy
for _ in $(seq "$ROUNDS"); do
  sleep 0.5
  since=$(now_ms)
  if [[ $to == unhealthy ]]; then
    python3 -c "import socket,time;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('127.0.0.1',$probe_port));s.listen(64);time.sleep(3600)" &
    LISTENER=$!
    to=healthy
  else
    stop_listener
    to=unhealthy
  fi
  owner=$(first_time n1 "$to" "$since")
  seen2=$(first_time n2 "$to" "$since")
  seen3=$(first_time n3 "$to" "$since")
  if [[ -z "$owner" || -z "$seen2" || -z "$seen3" ]]; then
    echo "round lost: owner=$owner n2=$seen2 n3=$seen3" >&2
    continue
  fi
  last=$((seen2 > seen3 ? seen2 : seen3))
  ours+=("$(awk -v a="$owner" -v b="$last" 'BEGIN {printf "%.3f", (b - a) / 1000}')")
done
stop_listener

# The anchor: serf user events, handler appending the receive time on each node.
serf_seed=""
for i in 1 2 3; do
  port=$(free_port)
  seed=()
  if [[ -n "$serf_seed" ]]; then seed=(-join "$serf_seed"); else serf_seed="127.0.0.1:$port"; fi
  start_serf "s$i" 127.0.0.1 "$port" -log-level err \
    -event-handler "user:flip=date +%s%3N >> $WORK/s$i.received" "${seed[@]}"
  sleep 0.3
done
wait_converged serf 3 s1 s2 s3
serf_times=()
for round in $(seq "$ROUNDS"); do
  sleep 0.5
  sent=$(now_ms)
  serf event -rpc-addr "${RPC_OF[s1]}" -coalesce=false flip "round-$round" >/dev/null
  for _ in $(seq 200); do
    n2=0 n3=0
    if [[ -f "$WORK/s2.received" ]]; then n2=$(wc -l <"$WORK/s2.received"); fi
    if [[ -f "$WORK/s3.received" ]]; then n3=$(wc -l <"$WORK/s3.received"); fi
    [[ $n2 -ge $round && $n3 -ge $round ]] && break
    sleep 0.02
  done
  last=$( (tail -n1 "$WORK/s2.received"; tail -n1 "$WORK/s3.received") 2>/dev/null | sort -n | tail -1)
  serf_times+=("$(awk -v a="$sent" -v b="$last" 'BEGIN {printf "%.3f", (b - a) / 1000}')")
done

read -r ours_median ours_max < <(printf '%s\n' "${ours[@]}" | median_max)
read -r serf_median serf_max < <(printf '%s\n' "${serf_times[@]}" | median_max)
echo
echo "Service-health change visible on all 3 nodes (owner journals the flip -> last peer"
echo "journals it; anchor: serf user event -> last peer's handler ran), $ROUNDS rounds"
pair_row "case (seconds)" ours serf
pair_row "median" "$ours_median" "$serf_median" "(target <= 1 s)"
pair_row "max" "$ours_max" "$serf_max" ""
