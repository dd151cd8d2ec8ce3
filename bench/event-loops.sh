#!/usr/bin/env bash
# 1 vs 2 event loops on this machine: Hubgate (bin/hubgate defaults plus -Dhubgate.ioThreads=N), an nginx
# backend and wrk all share both cores (nothing pinned), 64 B keep-alive at c=64. Each configuration gets a
# 15 s warm-up and a 15 s measurement. Loopback only; every load run is bounded by wrk's -d.
#
#   bench/event-loops.sh            # prints one line per configuration
#
# Needs nginx and wrk (apt-get install -y nginx wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/standalone.sh
require_tools nginx wrk curl
build_jar
make_workdir
mkdir -p "$work/logs"
start_backend 27480 "" # not pinned: both cores serve the proxy's event loops here
for threads in 1 2; do
  HUBGATE_JAVA_OPTS="-Dhubgate.ioThreads=$threads" CONFIGPROXY_AUTH_TOKEN=t bin/hubgate --ip 127.0.0.1 \
      --port 27490 --api-ip 127.0.0.1 --api-port 27491 --default-target http://127.0.0.1:27480 --log-level warn \
      > "$work/logs/hubgate-$threads.log" 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:27490/_chp_healthz"
  wrk -t2 -c64 -d15s http://127.0.0.1:27490/ > /dev/null
  before=$(awk '{print $14+$15}' /proc/$pid/stat)
  result=$(wrk -t2 -c64 -d15s --latency http://127.0.0.1:27490/)
  after=$(awk '{print $14+$15}' /proc/$pid/stat)
  rps=$(echo "$result" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$result" | awk '$1 == "99%" {print $2}')
  echo "event loops: $threads  req/s: $rps  p99: $p99  proxy CPU: $(( (after - before) / 15 ))% of one core"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
