#!/usr/bin/env bash
# Open websockets at scale: 1,000 and then 10,000 websockets through one Hubgate (bin/hubgate, defaults, pinned
# to CPU 1), using the shared harness's websocket client and echo server (../shared/bench/lib, on CPU 0).
# For each size: handshake time, RSS with all open, echo messages/s with every connection ping-ponging 32 B
# (one message in flight each), failed connects and unexpected closes. Every phase is bounded by the client's
# deadlines. Loopback only.
#
#   bench/websockets.sh              # sizes 1000 10000
#   bench/websockets.sh 1000 5000    # other sizes
#
# Needs: node (the harness installs its `ws` dependency with npm ci on first use; this script does the same).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/wait-http.sh
root=$(pwd)
lib=${PROXYBENCH_LIB:-$root/../shared/bench/lib}
[ -f "$lib/ws-bench.js" ] || { echo "ws-bench.js not found in $lib (set PROXYBENCH_LIB)" >&2; exit 1; }
[ -d "$lib/../node_modules/ws" ] || (cd "$lib/.." && npm ci --no-audit --no-fund >&2)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
# two sockets per websocket in the proxy, one per websocket in the client and in the echo server
ulimit -Hn 65536 2>/dev/null || true
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
mvn -B -q -Dstyle.color=never package -DskipTests
work=${KEEP_LOGS:-$(mktemp -d)}; mkdir -p "$work"
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "${KEEP_LOGS:-}" ] || rm -rf "$work"' EXIT

taskset -c 0 node "$lib/ws-echo-server.js" 27281 > "$work/echo.log" 2>&1 &
for n in "${sizes[@]}"; do
  CONFIGPROXY_AUTH_TOKEN=t taskset -c 1 bin/hubgate --ip 127.0.0.1 --port 27290 --api-ip 127.0.0.1 --api-port 27291 \
      --default-target http://127.0.0.1:27281 --log-level warn > "$work/hubgate-$n.log" 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:27290/_chp_healthz"
  idle=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  # a short run first so that the JIT has seen the websocket path, as in the harness's warm-up
  taskset -c 0 node "$lib/ws-bench.js" --url ws://127.0.0.1:27290/ws --n 200 --duration 5 --unloaded-duration 1 \
      > /dev/null
  out=$(taskset -c 0 node "$lib/ws-bench.js" --url ws://127.0.0.1:27290/ws --n "$n" --connect-conc 100 \
      --duration 10 --unloaded-duration 2 --connect-timeout 120 --pids "$pid")
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 - "$n" "$idle" "$hwm" "$out" <<'PY'
import json, sys
n, idle, hwm, d = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
mib = lambda k: f"{k / 1024:.0f} MiB" if k else "?"
print(f"{n} websockets: {d.get('connected')} open in {d.get('connect_total_ms')} ms (handshake p99 "
      f"{d.get('connect_p99_ms')} ms), {d.get('connect_failed')} failed; echo {d.get('msgs_per_s')} msg/s, rtt p50 "
      f"{d.get('rtt_p50_ms')} / p99 {d.get('rtt_p99_ms')} ms, {d.get('msgs_per_cpu_s')} msgs per proxy CPU-s; "
      f"unexpected closes {d.get('unexpected_closes')}, mismatches {d.get('mismatches')}; RSS idle {mib(idle)}, "
      f"all open {mib(d.get('rss_open_kib'))}, peak {mib(hwm)}" + (f"; ERROR {d['error']}" if d.get('error') else ""))
PY
done
