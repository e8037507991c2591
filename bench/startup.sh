#!/usr/bin/env bash
# Start-up times of the native stack, as `make bench` reports them.
#   bench/startup.sh [OUT]      (OUT: key=value lines; default .run/bench/startup.env)
# Warm: stops the stack, then times `make start` (tool check, deps, builds,
# every component healthy), prints where the time went (bench/startup-timeline.ts)
# and leaves the stack running for the benchmarks.
# The cold figure (BENCH_COLD=1) is bench/cold.sh's, run by bench/run.sh
# before it takes the stack lock: it needs no stack.
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
# Where the seconds went: spawned/healthy per component, CPU by then, Kafka's phases.
"$NODE" bench/startup-timeline.ts "$((t0 / 1000000))" "$out" || echo "[startup] no timeline" >&2
