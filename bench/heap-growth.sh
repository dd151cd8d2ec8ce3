#!/usr/bin/env bash
# Heap growth of a long-lived proxy under connection churn, with and without the heap growth guard.
#
# Each round opens 256 fresh keep-alive connections and drives them for 2 s (wrk -c256 -d2s), as browsers
# and the benchmark's own wrk runs do: the connections' state lives through a few young collections, is
# promoted, and dies in the old generation. The serial collector grows the old generation instead of
# collecting it, so without a full collection the heap only grows. Hubgate (bin/hubgate, its defaults) runs
# pinned to CPU 1, nginx (the backend, 64 B) and wrk on CPU 0; every 10th round prints the heap after the last
# young collection (from -Xlog:gc), the proxy's RSS, and the full collections so far.
#
#   bench/heap-growth.sh            # 90 rounds with the guard (the launcher's default), then 90 without it
#   ROUNDS=30 bench/heap-growth.sh
#
# Needs: nginx, wrk (apt-get install -y nginx wrk). Loopback only; every wrk run is bounded by -d.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/standalone.sh
require_tools nginx wrk taskset curl
rounds=${ROUNDS:-90}
build_jar
make_workdir
backend=27491
port=27490

start_backend "$backend" 0

run() { # label, extra JVM options
  local label=$1 opts=$2 gclog=$work/gc-$1.log pid r
  HUBGATE_JAVA_OPTS="$opts -Xlog:gc:file=$gclog" taskset -c 1 bin/hubgate --ip 127.0.0.1 --port $port \
      --api-ip 127.0.0.1 --api-port $((port + 2)) --default-target "http://127.0.0.1:$backend" \
      --log-level warn > "$work/hubgate-$label.log" 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:$port/"
  echo "== $label ($rounds rounds of 256 new keep-alive connections for 2 s)"
  for r in $(seq "$rounds"); do
    taskset -c 0 wrk -t1 -c256 -d2s "http://127.0.0.1:$port/small" > "$work/wrk.txt" 2>&1
    if [ $((r % 10)) = 0 ]; then
      printf 'round %3d: heap %-14s RSS %4d MiB, full collections %d, %s\n' "$r" \
          "$(grep -oE 'Pause Young.* [0-9]+M->[0-9]+M\([0-9]+M\)' "$gclog" | tail -1 | grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)')" \
          "$(( $(awk '/VmRSS/{print $2}' "/proc/$pid/status") / 1024 ))" \
          "$(grep -c 'Pause Full' "$gclog" || true)" "$(grep -m1 Requests/sec "$work/wrk.txt" | tr -s ' ')"
    fi
  done
  grep 'Pause Full' "$gclog" | sed 's/^/  /' || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
run guard ""
run no-guard "-Dhubgate.heapGuardMiB=0"
