#!/usr/bin/env bash
# Random routes against one fixed URL, in one Hubgate process: the harness's routes section cannot show the
# "10,000 routes within 5 % of the single-route case" target (its own no-proxy baseline loses 14-33 % there),
# so this compares the two on the same proxy, the same heap and the same JIT state.
#
# bin/hubgate (its defaults) pinned to CPU 1, nginx (64 B) and wrk on CPU 0. 10,000 JupyterHub-style routes
# /user/uNNNN are added through the API; 10 s of keep-alive traffic to the default route and 10 s over the
# random routes warm both paths; then, twice, 5 s on one fixed URL and 5 s over random routes, with the
# shared harness's wrk script (../shared/bench/lib/wrk-report.lua): requests/s and requests per proxy CPU-second.
#
#   bench/routes-ab.sh
#
# Needs: nginx, wrk, curl, python3. Loopback only; every wrk run is bounded by -d.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/standalone.sh
lua=$(harness_file wrk-report.lua)
require_tools nginx wrk taskset curl python3
build_jar
make_workdir
backend=27471
port=27470
start_backend "$backend" 0
CONFIGPROXY_AUTH_TOKEN=t start_hubgate target/hubgate.jar "$port" "$backend"

python3 - "$((port + 2))" "$backend" <<'PY'
import http.client, json, sys
api, backend = int(sys.argv[1]), sys.argv[2]
c = http.client.HTTPConnection("127.0.0.1", api)
for i in range(10000):
    body = json.dumps({"user": "u%04d" % i, "server_name": "", "target": "http://127.0.0.1:" + backend,
                       "jupyterhub": True})
    c.request("POST", "/api/routes/user/u%04d" % i, body,
              {"Content-Type": "application/json", "Authorization": "token t"})
    r = c.getresponse(); r.read()
    if r.status != 201:
        sys.exit("POST /api/routes/user/u%04d: %d" % (i, r.status))
PY

run() { # mode, seconds, wrk arguments
  PB_MODE=$1 PB_ROUTES=10000 PB_WIDTH=4 taskset -c 0 wrk -t1 -c64 -d"$2"s -s "$lua" "${@:3}" 2>&1
}
run fixed 10 "http://127.0.0.1:$port/small" > /dev/null
run routes 10 "http://127.0.0.1:$port" > /dev/null
for round in 1 2; do
  for mode in fixed routes; do
    c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    out=$(run "$mode" 5 "http://127.0.0.1:$port/small")
    c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    printf 'round %d  %-6s  %9s req/s  %6d req per proxy CPU-second\n' "$round" "$mode" "$rps" \
        $((reqs * $(getconf CLK_TCK) / (c1 - c0 + 1)))
  done
done
