#!/usr/bin/env bash
# Start-up benchmark of the native stack.
#   bench/startup.sh [ONLY]     (ONLY = all | backends | services | names; default all)
# 1. Tools: if the cache (~/.cache/astroshop) lacks a tool, times the cold
#    build/fetch of all tools; otherwise times the warm check (should be ~0 s).
# 2. Times `devstack start` from nothing running to every component healthy,
#    then stops the stack again (set KEEP=1 to leave it running).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ONLY=${1:-all}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

CACHE=${ASTROSHOP_CACHE:-$HOME/.cache/astroshop}
cold=no
for probe in "$CACHE"/node-*/bin/node "$CACHE"/otelcol-*/otelcol-astroshop "$CACHE"/jaeger-*/jaeger; do
  [ -x "$probe" ] || cold=yes
done
t0=$(now)
bash scripts/tools.sh all >/dev/null
t1=$(now)
if [ "$cold" = yes ]; then
  echo "tools: cold build/fetch took $(secs "$t0" "$t1") s"
else
  echo "tools: warm cache check took $(secs "$t0" "$t1") s"
fi
bash scripts/install-deps.sh >/dev/null

NODE="$(bash scripts/tools.sh node)/node"
"$NODE" scripts/devstack/src/cli.ts stop >/dev/null 2>&1 || true
t2=$(now)
"$NODE" scripts/devstack/src/cli.ts start --only "$ONLY" >/tmp/astroshop-bench-start.log 2>&1 || {
  cat /tmp/astroshop-bench-start.log
  exit 1
}
t3=$(now)
grep -E '✔|skipped' /tmp/astroshop-bench-start.log || true
echo "start ($ONLY): all components healthy after $(secs "$t2" "$t3") s"
if [ "${KEEP:-0}" != 1 ]; then
  "$NODE" scripts/devstack/src/cli.ts stop >/dev/null
fi
