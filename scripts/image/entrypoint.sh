#!/bin/bash
# Starts the deployable in /app with the telemetry preload: its bundle and the
# preload's where the image holds them (scripts/image/build-service.sh), else
# its sources (the frontend). V8's heap cap is derived from the container's
# memory limit (cgroup v2 or v1): HEAP_PERCENT of it (default 70, leaving room
# for non-heap memory so V8's own "heap out of memory" abort does not hide
# behind the kernel's OOM killer). A service whose leak must end as a kernel
# OOM kill (recommendation) sets HEAP_PERCENT above 100, so the container
# limit is reached first. Bash builtins only: the base has no coreutils.
set -eu
limit_bytes=max
for f in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
  if [ -r "$f" ]; then limit_bytes=$(<"$f"); break; fi
done
heap_opt=""
# cgroup v1 reports "no limit" as a huge number (PAGE_COUNTER_MAX pages).
if [ "$limit_bytes" != "max" ] && [ "$limit_bytes" -lt 1099511627776 ]; then
  heap_mb=$(( limit_bytes / 1024 / 1024 * ${HEAP_PERCENT:-70} / 100 ))
  [ "$heap_mb" -gt 16 ] && heap_opt="--max-old-space-size=$heap_mb"
fi
if [ -f "${SERVICE_DIR}/dist/main.mjs" ]; then
  register=./packages/telemetry/dist/register.mjs entry="${SERVICE_DIR}/dist/main.mjs"
else
  register=./packages/telemetry/src/register.ts entry="${SERVICE_DIR}/src/main.ts"
fi
# V8 and malloc sized for small services, as natively (NODE_FLAGS and
# NODE_ENV_SIZING in scripts/devstack/src/components/node-service.ts).
node_flags="--max-semi-space-size=1 --v8-pool-size=1"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# shellcheck disable=SC2086
exec node $heap_opt $node_flags ${NODE_EXTRA_ARGS:-} --import "$register" "$entry" "$@"
