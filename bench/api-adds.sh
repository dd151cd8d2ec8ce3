#!/usr/bin/env bash
# Route-API write throughput with 16 clients, and what limits the shared harness's figure for it.
#
# The harness (../shared/bench/lib/routes-api.js) times 10,000 POSTs from 16 concurrent requests of one node
# process on the load core. This script measures, with the same pinning (proxy on CPU 1, load on CPU 0):
#   1. that node client against nginx answering every POST with a static 201: the client's own floor;
#   2. the same client against Hubgate (bin/hubgate, defaults): the harness's number;
#   3. wrk (16 connections, one thread) POSTing JupyterHub-style bodies to Hubgate: the proxy's own rate,
#      and the time 10,000 adds take at that rate. Three 3 s runs, the median is reported.
# Every run is bounded (wrk -d, the node client's --deadline). Loopback only.
#
#   bench/api-adds.sh
#
# Needs: nginx, wrk, node (apt-get install -y nginx wrk nodejs).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/standalone.sh
client=$(harness_file routes-api.js)
require_tools nginx wrk node taskset
build_jar
make_workdir
api=27391
node_adds() { # prints the wall time of 10,000 adds from 16 concurrent requests
  taskset -c 0 node "$client" --api "http://127.0.0.1:$api" --token t --op add --n 10000 --conc 16 \
      --target http://127.0.0.1:27399 --deadline 120 "$@" | grep -oE '"wall_s":[0-9.]+' | cut -d: -f2
}
node_deletes() {
  taskset -c 0 node "$client" --api "http://127.0.0.1:$api" --token t --op delete --n 10000 --conc 16 \
      --deadline 120 "$@" > /dev/null
}

# 1. the client's floor: nginx answers every request at once
start_backend "$api" 1 "return 201 '{}';"
node_adds > /dev/null
floor=$(for _ in 1 2 3; do node_adds; done | sort -n | sed -n 2p)
kill "$backend_pid"; wait "$backend_pid" 2>/dev/null || true

# 2. and 3. Hubgate
CONFIGPROXY_AUTH_TOKEN=t taskset -c 1 bin/hubgate --ip 127.0.0.1 --port 27390 --api-ip 127.0.0.1 --api-port $api \
    --log-level warn > "$work/hubgate.log" 2>&1 &
pid=$!
wait_http "http://127.0.0.1:27390/_chp_healthz"
for _ in 1 2 3; do # warm-up, like the harness's: adds and deletes through the same client
  node_adds --prefix /warm/u > /dev/null; node_deletes --prefix /warm/u
done
harness=$(node_adds)
node_deletes
cpu_before=$(awk '{print $14+$15}' /proc/$pid/stat)
rates=()
for run in 1 2 3; do
  line=$(ADDS=10000 TOKEN=t TARGET=http://127.0.0.1:27399 PREFIX=/user/u \
      taskset -c 0 wrk -t1 -c16 -d3s -s bench/lua/api-adds.lua "http://127.0.0.1:$api" | grep '^ADDS')
  set -- $line
  requests=${2#requests=}; duration=${3#duration_us=}; non2xx=${4#non2xx=}; errors=${5#errors=}
  [ "$non2xx" = 0 ] && [ "$errors" = 0 ] || { echo "run $run: $non2xx non-2xx replies, $errors errors" >&2; exit 1; }
  rates+=("$(( requests * 1000000 / duration ))")
done
cpu_after=$(awk '{print $14+$15}' /proc/$pid/stat)
kill "$pid"; wait "$pid" 2>/dev/null || true
rate=$(printf '%s\n' "${rates[@]}" | sort -n | sed -n 2p)
total=$(( ${rates[0]} + ${rates[1]} + ${rates[2]} ))
echo "node client (harness's routes-api.js), 10,000 adds, 16 concurrent:"
echo "  against nginx returning 201 at once: ${floor} s   (the client's floor)"
echo "  against Hubgate:                     ${harness} s"
echo "wrk, 16 connections, POST /api/routes/user/uNNNNN/ to Hubgate (3 x 3 s; runs: ${rates[*]} /s):"
echo "  median ${rate} adds/s -> 10,000 adds in $(awk -v r="$rate" 'BEGIN {printf "%.2f", 10000 / r}') s;" \
     "proxy CPU $(awk -v c=$((cpu_after - cpu_before)) -v n="$total" 'BEGIN {printf "%.0f", c * 10000 / (n * 3)}') us per add"
