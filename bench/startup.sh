#!/usr/bin/env bash
# Start-up times of the native stack, as `make bench` reports them.
#   bench/startup.sh [OUT]      (OUT: key=value lines; default .run/bench/startup.env)
# Warm: stops the stack, then times `make start` (tool check, deps, builds,
# every component healthy) and leaves the stack running for the benchmarks.
# Cold (BENCH_COLD=1 only, ~15 min): times the tool build into an empty cache
# (ASTROSHOP_CACHE=<tmp>) and adds the warm start; a fresh machine also lacks
# the pnpm store and apt packages, so this is a lower bound.
# It restarts the shared stack: run it under `flock -x /tmp/astroshop-stack.lock`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-.run/bench/startup.env}
mkdir -p "$(dirname "$out")"
: >"$out"
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

NODE="$(bash scripts/tools.sh node)/node"
"$NODE" scripts/devstack/src/cli.ts stop >/dev/null 2>&1 || true
t0=$(now)
make --no-print-directory start >.run/bench/start.log 2>&1 || {
  tail -n 30 .run/bench/start.log >&2
  echo "warm_skipped=make start failed (.run/bench/start.log)" >>"$out"
  # The stack is shared: bring it back without the failed build step (timed,
  # for the note; the row still fails).
  t0=$(now)
  "$NODE" scripts/devstack/src/cli.ts start >>.run/bench/start.log 2>&1 || true
  t1=$(now)
  { echo "supervisor_start_s=$(secs "$t0" "$t1")"; echo "healthy_at_ms=$((t1 / 1000000))"; } >>"$out"
  exit 0
}
t1=$(now)
warm=$(secs "$t0" "$t1")
echo "[startup] warm make start: all healthy after $warm s" >&2
{ echo "warm_start_s=$warm"; echo "healthy_at_ms=$((t1 / 1000000))"; } >>"$out"

if [ "${BENCH_COLD:-0}" = 1 ]; then
  cache=$(mktemp -d /tmp/astroshop-cold-cache.XXXX)
  t2=$(now)
  ASTROSHOP_CACHE=$cache bash scripts/tools.sh all >.run/bench/cold-tools.log 2>&1
  t3=$(now)
  rm -rf "$cache"
  cold=$(awk -v a="$(secs "$t2" "$t3")" -v b="$warm" 'BEGIN { printf "%.0f", a + b }')
  echo "[startup] cold tool build $(secs "$t2" "$t3") s (+ warm start = $cold s)" >&2
  echo "cold_start_s=$cold" >>"$out"
fi
