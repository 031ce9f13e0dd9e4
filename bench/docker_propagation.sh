#!/usr/bin/env bash
# A Docker health flip seen everywhere: a private dockerd (own data root, socket, no bridge or
# iptables changes) runs one container whose healthcheck tests a file this script creates and
# removes. Agent n1 monitors that engine; n2 and n3 join it with Docker off. Each round times
# Docker's own health_status event -> n1 journals the flip -> the last of n2, n3 journals it
# through gossip. Target: <= 1 s end to end (polling every 10 s would average 5 s).
# Usage: docker_propagation.sh [BUILD_DIR] [ROUNDS]  (ROUNDS also from DOCKER_BENCH_ROUNDS; 6)
# shellcheck disable=SC2034  # BIN is read by gossip_lib.sh
BIN=$(realpath "${1:-build-bench}/constellation")
ROUNDS=${2:-${DOCKER_BENCH_ROUNDS:-6}}
# shellcheck source=bench/gossip_lib.sh
source "$(dirname "$0")/gossip_lib.sh"

DOCKER=/usr/bin/docker
ENGINE="$WORK/engine"
SOCK="$ENGINE/docker.sock"
mkdir -p "$ENGINE/data" "$ENGINE/exec" "$WORK/flag" "$WORK/rootfs/bin"
/usr/sbin/dockerd --data-root "$ENGINE/data" --exec-root "$ENGINE/exec" --host "unix://$SOCK" \
  --pidfile "$ENGINE/dockerd.pid" --bridge=none --iptables=false --ip6tables=false \
  --ip-masq=false >"$ENGINE/dockerd.log" 2>&1 &
DOCKERD=$!
stop_engine() {
  kill "$DOCKERD" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$DOCKERD" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$DOCKERD" 2>/dev/null || true
  gossip_cleanup
}
trap stop_engine EXIT
dk() { "$DOCKER" -H "unix://$SOCK" "$@"; }
for _ in $(seq 300); do dk version >/dev/null 2>&1 && break; sleep 0.1; done

# The image: Debian's static busybox and the applets the container uses.
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for applet in sh test sleep; do ln -sf busybox "$WORK/rootfs/bin/$applet"; done
tar -C "$WORK/rootfs" -c . | dk import - constellation-bench:busybox >/dev/null
subnet=10.213.250.0/24
dk network create --subnet "$subnet" bench-net >/dev/null
touch "$WORK/flag/healthy"
dk run -d --name bench-web --network bench-net --label constellation.service=bench-web \
  -v "$WORK/flag:/flag" --health-cmd 'test -f /flag/healthy' --health-interval 1s \
  --health-retries 1 --health-timeout 1s constellation-bench:busybox sleep 1000000 >/dev/null

p1=$(free_port) p2=$(free_port) p3=$(free_port)
OURS_DOCKER=--docker=true start_ours n1 "127.0.0.1:$p1" --docker-host "unix://$SOCK" \
  --docker-networks "bench-net=$subnet"
wait_ready n1
start_ours n2 "127.0.0.1:$p2" --join "127.0.0.1:$p1"
start_ours n3 "127.0.0.1:$p3" --join "127.0.0.1:$p1"
wait_ready n2
wait_ready n3
wait_converged ours 3 n1 n2 n3

# flip_time NAME TO SINCE_MS: when NAME journaled bench-web turning TO (waits up to 15 s).
flip_time() {
  for _ in $(seq 300); do
    local t
    t=$(curl -s --max-time 2 --unix-socket "${SOCK_OF[$1]}" \
      "http://localhost/api/v1/events?kind=service.health_changed&subject=bench-web&since_ms=$3" |
      jq -r --arg to "$2" '[.events[] | select(.detail.to == $to)][0].time_ms // empty')
    if [[ -n "$t" ]]; then echo "$t"; return; fi
    sleep 0.05
  done
}

# The container must be healthy everywhere before the first flip.
for _ in $(seq 300); do
  [[ "$(curl -s --unix-socket "${SOCK_OF[n3]}" http://localhost/api/v1/services/bench-web |
    jq -r '.instances[0].status // empty')" == healthy ]] && break
  sleep 0.1
done

gossip_ms=() total_ms=()
to=unhealthy
for _ in $(seq "$ROUNDS"); do
  sleep 1
  since=$(now_ms)
  if [[ $to == unhealthy ]]; then rm -f "$WORK/flag/healthy"; else touch "$WORK/flag/healthy"; fi
  owner=$(flip_time n1 "$to" "$since")
  seen2=$(flip_time n2 "$to" "$since")
  seen3=$(flip_time n3 "$to" "$since")
  docker_ns=$(dk events --since "$((since / 1000 - 1))" --until "$(($(date +%s) + 1))" \
    --filter container=bench-web --filter event=health_status --format '{{.TimeNano}} {{.Status}}' |
    awk -v s="health_status: $to" '$0 ~ s {print $1}' | tail -1)
  if [[ -n "$owner" && -n "$seen2" && -n "$seen3" && -n "$docker_ns" ]]; then
    last=$((seen2 > seen3 ? seen2 : seen3))
    gossip_ms+=("$(awk -v a="$owner" -v b="$last" 'BEGIN {printf "%.3f", (b - a) / 1000}')")
    total_ms+=("$(awk -v a="$docker_ns" -v b="$last" 'BEGIN {printf "%.3f", (b - a / 1e6) / 1000}')")
  else
    echo "round lost: docker=$docker_ns n1=$owner n2=$seen2 n3=$seen3" >&2
  fi
  to=$([[ $to == unhealthy ]] && echo healthy || echo unhealthy)
done
dk rm -f bench-web >/dev/null 2>&1 || true

read -r total_median total_max < <(printf '%s\n' "${total_ms[@]}" | median_max)
read -r gossip_median gossip_max < <(printf '%s\n' "${gossip_ms[@]}" | median_max)
echo
echo "Docker health flip -> /api/v1/services on all 3 nodes (private dockerd, healthcheck"
echo "every 1 s; from Docker's health_status event), ${#total_ms[@]} rounds"
pair_row "case (seconds)" ours "anchor" ""
pair_row "event -> last node, median" "$total_median" "-" "(target <= 1 s; a 10 s poll would average 5 s)"
pair_row "event -> last node, max" "$total_max" "-" ""
pair_row "owner journal -> last node, median" "$gossip_median" "-" "(gossip alone; serf user event: health_propagation.sh)"
