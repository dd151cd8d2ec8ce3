# Sourced by the standalone bench scripts (every bench/*.sh but run.sh): the steps they all begin with.
#
#   harness_file NAME               prints the path of NAME in the shared harness's lib directory
#                                   (PROXYBENCH_LIB, default ../shared/bench/lib); exits if it is not there
#   require_tools TOOL...           exits with "missing TOOL" unless every tool is on PATH
#   build_jar                       builds target/hubgate.jar (tests skipped)
#   jars_or_build [JAR...]          sets the array `jars` to the arguments, or builds and uses target/hubgate.jar
#   make_workdir                    sets `work` to a new temporary directory; on exit, every background job of the
#                                   script is stopped and the directory removed
#   start_backend PORT CPU [BODY]   nginx on 127.0.0.1:PORT (pinned to CPU unless CPU is empty) answering with the
#                                   nginx directive BODY (default: 200 with 64 B of text); sets `backend_pid` and
#                                   waits until it answers
#   start_hubgate JAR PORT BACKEND_PORT
#                                   bin/hubgate with JAR and its defaults (plus HUBGATE_JAVA_OPTS), pinned to CPU 1,
#                                   listening on PORT (API on PORT+2), default target the backend; sets `pid` and
#                                   waits until it answers; its log is $work/hubgate.log
. "$(dirname "${BASH_SOURCE[0]}")/nginx-backend.sh"
. "$(dirname "${BASH_SOURCE[0]}")/wait-http.sh"

SMALL_BODY='return 200 "0123456789012345678901234567890123456789012345678901234567890123";'

harness_file() {
  local lib=${PROXYBENCH_LIB:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/../shared/bench/lib}
  [ -f "$lib/$1" ] || { echo "$1 not found in $lib (set PROXYBENCH_LIB)" >&2; exit 1; }
  echo "$lib/$1"
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool" >&2; exit 1; }
  done
}

build_jar() {
  mvn -B -q -Dstyle.color=never package -DskipTests
}

jars_or_build() {
  jars=("$@")
  if [ ${#jars[@]} = 0 ]; then
    build_jar
    jars=(target/hubgate.jar)
  fi
}

make_workdir() {
  work=$(mktemp -d)
  trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
}

start_backend() {
  nginx_backend_conf "$work" "$1" "${3:-$SMALL_BODY}"
  if [ -n "$2" ]; then
    taskset -c "$2" nginx -c "$work/nginx.conf" &
  else
    nginx -c "$work/nginx.conf" &
  fi
  backend_pid=$!
  wait_http "http://127.0.0.1:$1/" || { echo "the nginx backend on port $1 did not start" >&2; exit 1; }
}

start_hubgate() {
  HUBGATE_JAR=$1 taskset -c 1 bin/hubgate --ip 127.0.0.1 --port "$2" --api-ip 127.0.0.1 \
      --api-port $(($2 + 2)) --default-target "http://127.0.0.1:$3" --log-level warn > "$work/hubgate.log" 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:$2/" || { echo "Hubgate did not start: $(tail -3 "$work/hubgate.log")" >&2; exit 1; }
}
