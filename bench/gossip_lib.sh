# shellcheck shell=bash disable=SC2034  # PID_OF and friends are read by the scripts sourcing this
# Sourced by the gossip benchmarks (gossip_failure.sh, gossip_soak.sh, gossip_rss.sh): start
# clusters of our agents and of `serf agent` processes on loopback (optionally inside a network
# namespace), read who each member thinks is alive, and stop everything by PID on exit.
# The caller sets BIN (the constellation binary) before sourcing; WORK is created here.
set -euo pipefail
WORK=$(mktemp -d /tmp/constellation-gossip-bench-XXXXXX)
PIDS=()
NETNS=""   # set by make_netns; deleted on exit
NS=()      # command prefix that runs a command inside NETNS (empty: the host's namespace)
declare -A PID_OF SOCK_OF RPC_OF

gossip_cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n "$NETNS" ]]; then ip netns delete "$NETNS" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap gossip_cleanup EXIT

printf 'log_level: warn\n' >"$WORK/quiet.yaml"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null ||
  echo $((20000 + RANDOM % 20000)); }
now_ms() { date +%s%3N; }
# One table row in the paired reporter's layout: case, ours, anchor, note.
pair_row() { printf '%-40s %12s %12s  %s\n' "$@"; }

# make_netns: a namespace of our own with lo up; every later start_* runs inside it.
make_netns() {
  NETNS="cgb-$$"
  ip netns add "$NETNS"
  NS=(ip netns exec "$NETNS")
  "${NS[@]}" ip link set lo up
}

# start_ours NAME HOST:PORT [agent flags...]: one agent, its unix socket in $WORK/NAME.
start_ours() {
  local name=$1 gossip=$2
  shift 2
  mkdir -p "$WORK/$name"
  "${NS[@]}" "$BIN" agent --node "$name" --config "$WORK/quiet.yaml" --data-dir "$WORK/$name" \
    --socket "$WORK/$name/agent.sock" --secrets-path "$WORK/$name/secrets" \
    --api "127.0.0.1:$(free_port)" --gossip "$gossip" "${OURS_DOCKER:---docker=false}" "$@" >>"$WORK/$name.log" 2>&1 &
  PID_OF[$name]=$!
  SOCK_OF[$name]="$WORK/$name/agent.sock"
  PIDS+=("$!")
}

# start_serf NAME HOST PORT [serf flags...]: one serf agent, RPC on HOST and a free port.
start_serf() {
  local name=$1 host=$2 port=$3
  shift 3
  local rpc
  rpc="$host:$(free_port)"
  "${NS[@]}" serf agent -node "$name" -bind "$host:$port" -rpc-addr "$rpc" "$@" \
    >>"$WORK/$name.log" 2>&1 &
  PID_OF[$name]=$!
  RPC_OF[$name]=$rpc
  PIDS+=("$!")
}

# ours_state OBSERVER MEMBER: the state OBSERVER's agent lists for MEMBER ("" if none).
ours_state() {
  curl -s --max-time 2 --unix-socket "${SOCK_OF[$1]}" http://localhost/api/v1/members 2>/dev/null |
    jq -r --arg n "$2" '.members[] | select(.name == $n) | .state' 2>/dev/null || true
}
ours_alive() {
  curl -s --max-time 2 --unix-socket "${SOCK_OF[$1]}" http://localhost/api/v1/members 2>/dev/null |
    jq '[.members[] | select(.state == "alive")] | length' 2>/dev/null || echo 0
}
serf_state() {
  "${NS[@]}" serf members -rpc-addr "${RPC_OF[$1]}" -name "$2" -format json 2>/dev/null |
    jq -r '.members[0].status // ""' 2>/dev/null || true
}
serf_alive() {
  "${NS[@]}" serf members -rpc-addr "${RPC_OF[$1]}" -status alive 2>/dev/null | wc -l
}

# wait_converged KIND N NAMES...: until every named member lists N alive (KIND ours|serf);
# fails after 60 s.
wait_converged() {
  local kind=$1 n=$2
  shift 2
  for _ in $(seq 600); do
    local ok=1
    for name in "$@"; do
      [[ "$("${kind}_alive" "$name")" == "$n" ]] || {
        ok=0
        break
      }
    done
    ((ok)) && return 0
    sleep 0.1
  done
  echo "$kind cluster ($*) did not converge to $n alive members; logs in $WORK" >&2
  return 1
}

# wait_ready NAME: our agent's API answers on its socket.
wait_ready() {
  for _ in $(seq 150); do
    curl -fs --max-time 1 --unix-socket "${SOCK_OF[$1]}" -o /dev/null http://localhost/health && return 0
    sleep 0.1
  done
  echo "agent $1 did not start:" >&2
  cat "$WORK/$1.log" >&2
  return 1
}

# median and max of the numbers on stdin, "median max".
median_max() { sort -n | awk '{v[NR]=$1} END {if (NR==0) {print "- -"; exit} m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%.2f %.2f\n", m, v[NR]}'; }
