#!/usr/bin/env bash
# Steady-state cost of a new TCP connection per request (Connection: close), one or more Hubgate jars side by
# side, alternating, so that a slow minute of this shared machine hits every jar alike.
#
# For each round and each jar: bin/hubgate (its defaults, HUBGATE_JAR=the jar) pinned to CPU 1, nginx (the
# backend, 64 B) and wrk on CPU 0; 5 s of keep-alive traffic, 12 s of Connection: close traffic to get the
# connection path compiled, then 5 s measured: requests/s, requests per proxy CPU-second, and the proxy's user
# and system CPU time per request (from /proc/<pid>/stat).
#
#   bench/new-connections.sh                          # the current build, 3 rounds
#   bench/new-connections.sh old.jar target/hubgate.jar   # an A/B of two builds
#   ROUNDS=5 bench/new-connections.sh
#
# Needs: nginx, wrk (apt-get install -y nginx wrk). Loopback only; every wrk run is bounded by -d.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/standalone.sh
require_tools nginx wrk taskset curl bc
rounds=${ROUNDS:-3}
jars_or_build "$@"
make_workdir
backend=27495
port=27494
tick=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14, $15}' "/proc/$1/stat"; } # utime, stime

start_backend "$backend" 0

load() { # seconds, extra wrk arguments
  taskset -c 0 wrk -t1 -c64 -d"$1"s "${@:2}" "http://127.0.0.1:$port/small"
}

for r in $(seq "$rounds"); do
  for jar in "${jars[@]}"; do
    start_hubgate "$jar" "$port" "$backend"
    load 5 > /dev/null
    load 12 -H 'Connection: close' > /dev/null
    read -r u0 s0 < <(cpu_ticks $pid)
    rps=$(load 5 -H 'Connection: close' | awk '/Requests\/sec/{print $2}')
    read -r u1 s1 < <(cpu_ticks $pid)
    kill $pid; wait $pid 2>/dev/null || true
    n=$(echo "$rps * 5" | bc)
    printf 'round %d  %-40s %9.0f req/s  %7.0f req per CPU-s  user %5.1f us  sys %5.1f us per request\n' "$r" "$jar" \
        "$rps" "$(echo "$n * $tick / ($u1 - $u0 + $s1 - $s0)" | bc -l)" \
        "$(echo "($u1 - $u0) * 1000000 / $tick / $n" | bc -l)" "$(echo "($s1 - $s0) * 1000000 / $tick / $n" | bc -l)"
  done
done
