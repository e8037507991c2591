#!/bin/sh
# Starts the deployable in /app with the telemetry preload and a heap limit
# derived from the container's memory limit (cgroup v2), leaving headroom for
# non-heap memory so the kernel's OOM killer is not the first to act.
set -eu
limit_bytes=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || echo max)
heap_opt=""
if [ "$limit_bytes" != "max" ]; then
  heap_mb=$(( limit_bytes / 1024 / 1024 * 70 / 100 ))
  [ "$heap_mb" -gt 16 ] && heap_opt="--max-old-space-size=$heap_mb"
fi
entry="${SERVICE_DIR}/src/main.ts"
# shellcheck disable=SC2086
exec node $heap_opt ${NODE_EXTRA_ARGS:-} --import ./packages/telemetry/src/register.ts "$entry" "$@"
