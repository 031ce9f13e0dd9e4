#!/usr/bin/env bash
# make bench: measures the agent against the issue's targets and prints each figure beside an
# anchor measured the same way on the same machine in the same run:
#   HTTP     wrk (closed loop) and http_load (open loop, 5,000 req/s) on /health and
#            /api/v1/status  vs  nginx serving a static file on loopback
#   CLI      `constellation status` process start -> printed (hyperfine)  vs  curl on the socket
#   memory   idle agent RSS  vs  an idle `serf agent` (Go gossip agent, same role)
#   fan-out  one event to 200 WebSocket clients (ws_fanout)
#   journal  Google Benchmark: our journal vs raw SQLite inserts
#   gossip   kill -9 detection in 5-node clusters, RSS in a 20-node view, a 5% UDP loss soak
#            (GOSSIP_SOAK_SECONDS, default 600; needs root)  vs  serf clusters in the same run
# Everything runs on loopback / unix sockets in a temporary directory; every process started
# here is stopped by PID.
set -euo pipefail
BUILD=${1:-build-bench}
BIN=$(realpath "$BUILD/constellation")
WORK=$(mktemp -d /tmp/constellation-bench-XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null ||
  echo $((20000 + RANDOM % 20000)); }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup"; }
mb() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }
json() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" <<<"$1"; }
row() { printf '%-44s %14s %14s %s\n' "$@"; }
wait_http() { for _ in $(seq 100); do curl -fsS -o /dev/null "$@" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# --- the agent under test ------------------------------------------------------------------
API_PORT=$(free_port)
mkdir -p "$WORK/agent"
printf 'log_level: warn\n' >"$WORK/agent.yaml"
"$BIN" agent --node bench --config "$WORK/agent.yaml" --data-dir "$WORK/agent" \
  --socket "$WORK/agent/agent.sock" --secrets-path "$WORK/agent/secrets" \
  --api "127.0.0.1:$API_PORT" --gossip 127.0.0.1:0 --docker=false >"$WORK/agent.log" 2>&1 &
AGENT=$!
PIDS+=("$AGENT")
wait_http "http://127.0.0.1:$API_PORT/health" || { cat "$WORK/agent.log"; exit 1; }

# --- the anchor: nginx serving static files on loopback -------------------------------------
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/html/api/v1"
chmod 711 "$WORK" "$WORK/nginx"  # nginx workers run as an unprivileged user
echo '{"status":"ok"}' >"$WORK/nginx/html/health"
curl -fsS --unix-socket "$WORK/agent/agent.sock" http://localhost/api/v1/status >"$WORK/nginx/html/api/v1/status"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/nginx/html; default_type application/json; }
}
CONF
chmod -R a+rX "$WORK/nginx/html"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
PIDS+=("$!")
wait_http "http://127.0.0.1:$NGINX_PORT/health" || { echo "nginx (anchor) did not start:"; cat "$WORK/nginx/error.log"; exit 1; }

echo
echo "Constellation benchmarks ($(nproc) cores, $(date -u +%F))"
row "measure" "constellation" "anchor" "(anchor; target)"
row "-------" "-------------" "------" "----------------"

wrk_rps() { wrk -t2 -c50 -d5s "$1" | awk '/Requests\/sec/ {printf "%.0f", $2}'; }
for path in /health /api/v1/status; do
  ours=$(wrk_rps "http://127.0.0.1:$API_PORT$path")
  theirs=$(wrk_rps "http://127.0.0.1:$NGINX_PORT$path")
  row "wrk $path req/s (2 threads, 50 conns)" "$ours" "$theirs" "(nginx static; >= 20000)"
done
for path in /health /api/v1/status; do
  ours=$("$BUILD/bench/http_load" 127.0.0.1 "$API_PORT" "$path" 5000 10 32)
  theirs=$("$BUILD/bench/http_load" 127.0.0.1 "$NGINX_PORT" "$path" 5000 10 32)
  row "$path p99 ms at 5000 req/s" "$(json "$ours" p99_ms)" "$(json "$theirs" p99_ms)" "(nginx static; <= 2 ms)"
  row "$path p50 ms at 5000 req/s" "$(json "$ours" p50_ms)" "$(json "$theirs" p50_ms)" "(nginx static)"
done

hyperfine --warmup 5 --runs 50 --export-json "$WORK/cli.json" -N \
  "$BIN status --agent $WORK/agent/agent.sock" \
  "curl -s --unix-socket $WORK/agent/agent.sock http://localhost/api/v1/status" >/dev/null 2>&1 ||
  hyperfine --warmup 5 --runs 50 --export-json "$WORK/cli.json" \
    "$BIN status --agent $WORK/agent/agent.sock" \
    "curl -s --unix-socket $WORK/agent/agent.sock http://localhost/api/v1/status" >/dev/null
medians=$(grep -o '"median": *[0-9.e-]*' "$WORK/cli.json" | awk '{printf "%.1f ", $2*1000}')
row "constellation status, median ms" "${medians%% *}" "$(echo "$medians" | awk '{print $2}')" "(curl on the socket; <= 20 ms)"

# Idle RSS after the load above settled, and a fresh idle agent.
IDLE_PORT=$(free_port)
mkdir -p "$WORK/idle"
"$BIN" agent --node idle --config "$WORK/agent.yaml" --data-dir "$WORK/idle" \
  --socket "$WORK/idle/agent.sock" --secrets-path "$WORK/idle/secrets" \
  --api "127.0.0.1:$IDLE_PORT" --gossip 127.0.0.1:0 --docker=false >"$WORK/idle.log" 2>&1 &
IDLE=$!
PIDS+=("$IDLE")
SERF_BIND=$(free_port)
SERF_RPC=$(free_port)
serf agent -node bench-anchor -bind "127.0.0.1:$SERF_BIND" -rpc-addr "127.0.0.1:$SERF_RPC" \
  -log-level err >"$WORK/serf.log" 2>&1 &
SERF=$!
PIDS+=("$SERF")
wait_http "http://127.0.0.1:$IDLE_PORT/health" || { echo "idle agent did not start:"; cat "$WORK/idle.log"; exit 1; }
sleep 3
row "idle RSS MB" "$(mb "$(rss_kb "$IDLE")")" "$(mb "$(rss_kb "$SERF")")" "(idle serf agent; <= 8 MB)"
row "idle PSS MB (shared library pages split)" "$(mb "$(pss_kb "$IDLE")")" "$(mb "$(pss_kb "$SERF")")" "(idle serf agent)"
row "RSS MB after the HTTP load" "$(mb "$(rss_kb "$AGENT")")" "-" ""

fanout=$("$BUILD/bench/ws_fanout" "$WORK/agent/agent.sock" 200 20)
row "WS fan-out to 200 clients, median ms" "$(json "$fanout" median_ms)" "-" "(<= 50 ms)"
row "WS fan-out to 200 clients, max ms" "$(json "$fanout" max_ms)" "-" "(<= 50 ms)"

if [[ -x "$BUILD/bench/docker_monitor_bench" ]]; then
  echo
  "$BUILD/bench/docker_monitor_bench" 2>/dev/null
fi
if [[ -x "$BUILD/bench/gossip_sim_bench" ]]; then
  echo
  "$BUILD/bench/gossip_sim_bench"
fi
if [[ -x "$BUILD/bench/gossip_codec_bench" ]]; then
  echo
  echo "Gossip wire codec (Google Benchmark; BM_Msgpack* and BM_RawGcm* are bare msgpack-cxx and OpenSSL, the anchors)"
  "$BUILD/bench/gossip_codec_bench" --benchmark_min_time=0.2 2>/dev/null
fi
if [[ -x "$BUILD/bench/journal_bench" ]]; then
  echo
  echo "Journal (Google Benchmark; BM_Sqlite* is plain SQLite, the anchor)"
  "$BUILD/bench/journal_bench" --benchmark_min_time=0.5 2>/dev/null
fi
if [[ -x "$BUILD/bench/tui_render_bench" ]]; then
  echo
  echo "TUI frame at 120x40, 1,000 services on 20 nodes, 10,000 events (target <= 16 ms; no anchor)"
  "$BUILD/bench/tui_render_bench" --benchmark_min_time=0.2 2>/dev/null
fi

# Gossip between real processes, each against a serf cluster of the same size.
echo
bash "$(dirname "$0")/gossip_failure.sh" "$BUILD"
echo
bash "$(dirname "$0")/gossip_rss.sh" "$BUILD"
echo
bash "$(dirname "$0")/gossip_soak.sh" "$BUILD"
echo
bash "$(dirname "$0")/health_propagation.sh" "$BUILD"
echo
bash "$(dirname "$0")/docker_propagation.sh" "$BUILD"
echo
bash "$(dirname "$0")/lease_failover.sh" "$BUILD"
echo
# The chaos run drives the integration test binary, which `make test` builds in build/.
if [[ -x build/tests/integration/integration_tests ]]; then
  bash "$(dirname "$0")/lease_chaos.sh" build
else
  echo "lease chaos skipped: it needs build/tests/integration/integration_tests (run make test first)"
fi
