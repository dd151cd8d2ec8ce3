#!/usr/bin/env bash
# First responses to many connections opened at once: what every 3 s slice of the side-by-side harness starts
# with (a new wrk, 64 new connections). One or more Hubgate jars, and nginx as a proxy for comparison.
#
# For each jar: bin/hubgate (its defaults, HUBGATE_JAR=the jar) pinned to CPU 1, nginx (the backend, 64 B) and
# the clients on CPU 0; 8 s of keep-alive traffic, then three bursts of 64 connections with one request each;
# then 10 s of Connection: close traffic (the accept path compiled) and three bursts more. Each burst prints
# when the responses arrived, in the order the connections were opened, and the last one.
#
#   bench/connection-burst.sh                      # the current build
#   bench/connection-burst.sh old.jar target/hubgate.jar
#
# Needs: nginx, wrk, python3. Loopback only; every wrk run is bounded by -d, every burst by 5 s.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/standalone.sh
require_tools nginx wrk taskset curl python3
jars_or_build "$@"
make_workdir
backend=27485
port=27484
start_backend "$backend" 0

bursts() { # port, label
  for _ in 1 2 3; do
    printf '%-28s ' "$2"
    taskset -c 0 python3 bench/lib/connection-burst.py "$1" 64
    sleep 1 # the proxy idles between bursts, as between the harness's slices
  done
}
warm() { # port, seconds, extra wrk arguments
  taskset -c 0 wrk -t1 -c64 -d"$2"s "${@:3}" "http://127.0.0.1:$1/small" > /dev/null
}

for jar in "${jars[@]}"; do
  start_hubgate "$jar" "$port" "$backend"
  echo "== $jar"
  warm $port 8
  bursts $port "keep-alive warm-up"
  warm $port 10 -H 'Connection: close'
  bursts $port "Connection: close warm-up"
  kill $pid; wait $pid 2>/dev/null || true
done

# nginx as the proxy, one worker on CPU 1, as in the harness
proxy=$((port + 5))
mkdir -p "$work/proxy"
cat > "$work/proxy/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/proxy/nginx.pid;
error_log $work/proxy/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  upstream b { server 127.0.0.1:$backend; keepalive 128; }
  server {
    listen 127.0.0.1:$proxy;
    location / { proxy_pass http://b; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
taskset -c 1 nginx -c "$work/proxy/nginx.conf" &
wait_http "http://127.0.0.1:$proxy/"
echo "== nginx"
warm $proxy 8
bursts $proxy "keep-alive warm-up"
