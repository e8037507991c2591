#!/usr/bin/env bash
# `make bench`: restart the native stack and time it (exclusive stack lock),
# then every other figure against the running stack (shared lock), one table.
# BENCH_RESTART=0 keeps a running stack (the start-up rows then say so).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
LOCK=/tmp/astroshop-stack.lock
NODE="$(bash scripts/tools.sh node)/node"
export BENCH_START_FILE=.run/bench/startup.env
mkdir -p .run/bench
# BENCH_COLD=1: cold `make install` from a fresh clone into empty caches
# (bench/cold.sh, ~20 min), outside the stack lock: it never touches the stack.
export BENCH_COLD_FILE=.run/bench/cold.env
rm -f "$BENCH_COLD_FILE"
if [ "${BENCH_COLD:-0}" = 1 ]; then
  timeout 3600 bash bench/cold.sh "$BENCH_COLD_FILE" || echo "[bench] bench/cold.sh failed" >&2
fi
if [ "${BENCH_RESTART:-1}" = 1 ]; then
  timeout 3600 flock -x "$LOCK" bash bench/startup.sh "$BENCH_START_FILE"
else
  echo "warm_skipped=BENCH_RESTART=0 (the running stack was kept)" >"$BENCH_START_FILE"
fi
# Bounded: the memory window (10 min) plus about 8 min of load.
timeout 3600 flock -s "$LOCK" "$NODE" bench/run.ts
