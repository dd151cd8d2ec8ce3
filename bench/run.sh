#!/usr/bin/env bash
# Builds Hubgate and runs the shared side-by-side benchmark (../shared/bench/proxybench.sh) with Hubgate,
# started through bin/hubgate with the launcher's defaults, next to `direct`, `nginx` and `chp`. Writes the
# result tables to docs/benchmarks.md (with date, machine and the exact command) and keeps the raw results
# under bench/results/<timestamp>/ (gitignored).
#
#   bench/run.sh                 # full run: --warmup 30, about 15 minutes
#   bench/run.sh --quick         # a short run to try things out (does not touch docs/benchmarks.md)
#   bench/run.sh -- --phases http   # anything after -- goes to proxybench.sh
#
# Needs (Debian, as root): apt-get install -y wrk nginx; npm install -g configurable-http-proxy.
# Loopback only; every load loop is bounded in time by the harness.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
harness=${PROXYBENCH:-$root/../shared/bench/proxybench.sh}
[ -x "$harness" ] || { echo "proxybench.sh not found at $harness (set PROXYBENCH)" >&2; exit 1; }

quick=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
  shift
done

for tool in wrk nginx configurable-http-proxy node; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool (see the header of this script)" >&2; exit 1; }
done

mvn -B -q package -DskipTests
# bin/hubgate uses an ahead-of-time cache on Java 25+ when one was made for this jar, as a deployment would
# (README, "Faster warm-up"); the training run takes about 45 s.
aot="without an AOT cache"
if bin/hubgate-aot-train > bench/aot-train.log 2>&1; then
  aot="with its AOT cache (bin/hubgate-aot-train)"
else
  echo "no AOT cache (bin/hubgate-aot-train failed or no Java 25+; see bench/aot-train.log): Hubgate runs without one" >&2
fi
stamp=$(date -u +%Y-%m-%d-%H%M)
out=$root/bench/results/$stamp
hubgate="hubgate:$root/bin/hubgate --ip 127.0.0.1 --port {port} --api-ip 127.0.0.1 --api-port {api_port} --default-target {backend_url}"
if [ "$quick" = 1 ]; then
  args=(--quick)
else
  args=(--warmup 30)
fi
cmd=("$harness" "${args[@]}" --out "$out" "${extra[@]}" direct nginx chp "$hubgate")
echo "running: ${cmd[*]}"
"${cmd[@]}"

if [ "$quick" = 1 ]; then
  echo "quick run: results in $out/results.md (docs/benchmarks.md untouched)"
  exit 0
fi
{
  echo "# Benchmarks"
  echo
  echo "Produced by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); rerun it to reproduce (about 15 minutes)."
  echo
  echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r)"
  echo "- Hubgate $(git rev-parse --short HEAD), started by \`bin/hubgate\` with its defaults, $aot; $("$root/bin/hubgate" --version 2>/dev/null | sed -n 1p)"
  echo "- command: \`${cmd[*]}\`" | sed "s|$root/||g; s|$out|bench/results/$stamp|"
  echo
  sed -e '1{/^# /d}' -e "s|$root/||g" "$out/results.md"
} > docs/benchmarks.md
echo "wrote docs/benchmarks.md"
