#!/usr/bin/env bash
# Lease and raft failover between real processes, beside a 3-member etcd cluster (Debian's
# etcd-server, default timing) measured the same way in the same run:
#   - kill -9 of the lb-leader holder -> every survivor reports a new holder (ours), and
#     kill -9 of the etcd leader -> every survivor reports a new leader (anchor);
#   - raft-leader failover alone (the same kills: every survivor names a new raft leader);
#   - cordon round trip: POST cordon on one node -> the cordon visible on all three;
#   - RSS of a raft-enabled agent minus a raft-less one, and DATA_DIR/raft on disk after the run.
# Every process is started here and stopped by PID; all traffic stays on 127.0.0.1.
# Usage: lease_failover.sh [BUILD_DIR] [ROUNDS]  (ROUNDS also from LEASE_BENCH_ROUNDS; 7)
BIN=$(realpath "${1:-build-bench}/constellation")
ROUNDS=${2:-${LEASE_BENCH_ROUNDS:-7}}
# shellcheck source=bench/gossip_lib.sh
source "$(dirname "$0")/gossip_lib.sh"

api() { curl -s --max-time 2 --unix-socket "${SOCK_OF[$1]}" "http://localhost$2" "${@:3}" 2>/dev/null || true; }
holder_of() { api "$1" /api/v1/leases | jq -r '.leases[]? | select(.name == "lb-leader") | .holder // ""' 2>/dev/null || true; }
raft_leader_of() { api "$1" /api/v1/raft/status | jq -r '.leader.id // ""' 2>/dev/null || true; }

# until_all SECONDS PREDICATE ARGS... : polls every 50 ms; prints elapsed ms, or fails.
until_all() {
  local limit=$1 start
  shift
  start=$(now_ms)
  while (($(now_ms) - start < limit * 1000)); do
    "$@" && {
      echo $(($(now_ms) - start))
      return 0
    }
    sleep 0.05
  done
  return 1
}

# --- ours --------------------------------------------------------------------------------------
NAMES=(lease-1 lease-2 lease-3)
declare -A GOSSIP_OF RAFT_OF PRIO_OF
VOTERS=()
for i in 0 1 2; do
  n=${NAMES[$i]}
  GOSSIP_OF[$n]=$(free_port)
  RAFT_OF[$n]=$(free_port)
  PRIO_OF[$n]=$((10 * (i + 1)))
  VOTERS+=(--raft-initial-voters "$n=127.0.0.1:${RAFT_OF[$n]}")
done

start_lease_agent() {
  local n=$1
  start_ours "$n" "127.0.0.1:${GOSSIP_OF[$n]}" --raft-enabled --raft "127.0.0.1:${RAFT_OF[$n]}" \
    --priority "${PRIO_OF[$n]}" --capabilities lb,dns "${VOTERS[@]}" \
    --join "127.0.0.1:${GOSSIP_OF[lease-1]}"
  wait_ready "$n"
}
for n in "${NAMES[@]}"; do start_lease_agent "$n"; done

# every_survivor_names_new_holder OLD SURVIVORS...
every_survivor_names_new_holder() {
  local old=$1 h
  shift
  for s in "$@"; do
    h=$(holder_of "$s")
    [[ -n $h && $h != "$old" ]] || return 1
  done
}
every_survivor_names_new_leader() {
  local old=$1 l
  shift
  for s in "$@"; do
    l=$(raft_leader_of "$s")
    [[ -n $l && $l != "$old" ]] || return 1
  done
}
any_holder() { [[ -n "$(holder_of "$1")" ]]; }

until_all 60 any_holder lease-1 >/dev/null || {
  echo "no lb-leader holder after 60 s; logs in $WORK" >&2
  exit 1
}
: >"$WORK/holder.ms"
: >"$WORK/leader.ms"
for ((round = 0; round < ROUNDS; round++)); do
  old=""
  for n in "${NAMES[@]}"; do
    old=$(holder_of "$n")
    [[ -n $old ]] && break
  done
  [[ -n $old ]] || until_all 30 any_holder lease-1 >/dev/null
  old=$(holder_of lease-1)
  survivors=()
  for n in "${NAMES[@]}"; do [[ $n == "$old" ]] || survivors+=("$n"); done
  old_leader=$(raft_leader_of "${survivors[0]}")
  kill -9 "${PID_OF[$old]}"
  wait "${PID_OF[$old]}" 2>/dev/null || true
  start=$(now_ms)
  (until_all 30 every_survivor_names_new_leader "$old_leader" "${survivors[@]}" >"$WORK/leader.round") &
  leader_job=$!
  if ms=$(until_all 30 every_survivor_names_new_holder "$old" "${survivors[@]}"); then
    echo "$ms" >>"$WORK/holder.ms"
  else
    echo "round $round: no new holder within 30 s" >&2
  fi
  wait "$leader_job" && cat "$WORK/leader.round" >>"$WORK/leader.ms"
  start_lease_agent "$old"
  sleep 2
done

# Cordon round trip: propose on lease-2 (forwarded if it is a follower); each node journals
# node.cordoned when it applies the entry, so the slowest node's event time (same host, same
# wall clock) minus the time the POST was sent is the round trip, with no polling in the way.
cordon_seen_ms() { # NODE SINCE_MS: the node's journal time of the cordon, or empty
  api "$1" "/api/v1/events?kind=node.cordoned&since_ms=$2" | jq '.events[0].time_ms // empty' 2>/dev/null || true
}
: >"$WORK/cordon.ms"
for _ in 1 2 3 4 5 6 7; do
  start=$(now_ms)
  api lease-2 /api/v1/nodes/lease-3/cordon -X POST -H 'Content-Type: application/json' \
    -d '{"reason":"bench"}' >/dev/null
  sleep 1
  last=0
  for n in "${NAMES[@]}"; do
    t=$(cordon_seen_ms "$n" "$start")
    if [[ -z $t ]]; then
      last=99999999999999
    elif ((t > last)); then
      last=$t
    fi
  done
  echo $((last - start)) >>"$WORK/cordon.ms"
  api lease-2 /api/v1/nodes/lease-3/uncordon -X POST -H 'Content-Type: application/json' -d '{}' >/dev/null
  sleep 0.5
done

# Memory and disk at steady state.
start_ours lease-noraft "127.0.0.1:$(free_port)" --join "127.0.0.1:${GOSSIP_OF[lease-1]}"
wait_ready lease-noraft
sleep 5
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
raft_rss=$(rss_kb "${PID_OF[lease-2]}")
plain_rss=$(rss_kb "${PID_OF[lease-noraft]}")
disk_kb=$(du -sk "$WORK/lease-2/raft" | awk '{print $1}')

# --- the anchor: a 3-member etcd cluster -------------------------------------------------------
ETCD=(etcd-1 etcd-2 etcd-3)
declare -A CLIENT_OF PEER_OF
cluster=""
for n in "${ETCD[@]}"; do
  CLIENT_OF[$n]=$(free_port)
  PEER_OF[$n]=$(free_port)
  cluster+="${cluster:+,}$n=http://127.0.0.1:${PEER_OF[$n]}"
done
start_etcd() {
  local n=$1
  etcd --name "$n" --data-dir "$WORK/$n" \
    --listen-client-urls "http://127.0.0.1:${CLIENT_OF[$n]}" \
    --advertise-client-urls "http://127.0.0.1:${CLIENT_OF[$n]}" \
    --listen-peer-urls "http://127.0.0.1:${PEER_OF[$n]}" \
    --initial-advertise-peer-urls "http://127.0.0.1:${PEER_OF[$n]}" \
    --initial-cluster "$cluster" --initial-cluster-state new --log-level error \
    >>"$WORK/$n.log" 2>&1 &
  PID_OF[$n]=$!
  PIDS+=("$!")
}
etcd_status() { curl -s --max-time 1 -X POST "http://127.0.0.1:${CLIENT_OF[$1]}/v3/maintenance/status" -d '{}' 2>/dev/null || true; }
etcd_leader_of() { etcd_status "$1" | jq -r '.leader // ""' 2>/dev/null || true; }
etcd_member_of() { etcd_status "$1" | jq -r '.header.member_id // ""' 2>/dev/null || true; }
every_etcd_survivor_names_new_leader() {
  local old=$1 l
  shift
  for s in "$@"; do
    l=$(etcd_leader_of "$s")
    [[ -n $l && $l != 0 && $l != "$old" ]] || return 1
  done
}
etcd_has_leader() { l=$(etcd_leader_of "$1"); [[ -n $l && $l != 0 ]]; }
for n in "${ETCD[@]}"; do start_etcd "$n"; done
until_all 60 etcd_has_leader etcd-1 >/dev/null || {
  echo "etcd elected no leader in 60 s; logs in $WORK" >&2
  exit 1
}
: >"$WORK/etcd.ms"
for ((round = 0; round < ROUNDS; round++)); do
  leader=$(etcd_leader_of etcd-1)
  victim=""
  for n in "${ETCD[@]}"; do [[ "$(etcd_member_of "$n")" == "$leader" ]] && victim=$n; done
  [[ -n $victim ]] || continue
  survivors=()
  for n in "${ETCD[@]}"; do [[ $n == "$victim" ]] || survivors+=("$n"); done
  kill -9 "${PID_OF[$victim]}"
  wait "${PID_OF[$victim]}" 2>/dev/null || true
  if ms=$(until_all 30 every_etcd_survivor_names_new_leader "$leader" "${survivors[@]}"); then
    echo "$ms" >>"$WORK/etcd.ms"
  fi
  start_etcd "$victim"
  until_all 30 etcd_has_leader "$victim" >/dev/null || true
  sleep 2
done

secs() { awk '{printf "%.3f\n", $1/1000}'; }
read -r h_med h_max < <(secs <"$WORK/holder.ms" | median_max)
read -r l_med l_max < <(secs <"$WORK/leader.ms" | median_max)
read -r e_med e_max < <(secs <"$WORK/etcd.ms" | median_max)
read -r c_med c_max < <(awk '{print $1}' "$WORK/cordon.ms" | median_max)
echo "Leases and raft ($ROUNDS kill -9 rounds per system, 3 nodes on loopback, 50 ms polling)"
pair_row "case" "constellation" "etcd 3.4" "note"
pair_row "lb-leader holder killed -> new holder, s" "$h_med" "$e_med" "median; etcd: leader killed -> new leader; target <= 2.5"
pair_row "  max, s" "$h_max" "$e_max" ""
pair_row "raft leader failover alone, s" "$l_med" "$e_med" "median (same kills); max ours $l_max"
pair_row "cordon round trip, ms" "$c_med" "-" "POST sent -> journaled on all 3 (event times); max $c_max; target <= 50"
pair_row "RSS raft agent - raft-less agent, MB" "$(awk -v a="$raft_rss" -v b="$plain_rss" 'BEGIN{printf "%.1f", (a-b)/1024}')" "-" "target <= 8"
pair_row "DATA_DIR/raft on disk, MB" "$(awk -v k="$disk_kb" 'BEGIN{printf "%.2f", k/1024}')" "-" "after the run; target <= 2 (3 preallocated 1 MiB open segments)"
