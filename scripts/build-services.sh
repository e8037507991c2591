#!/usr/bin/env bash
# Bundles the services, then runs each service's own build step, if it has one (services/*/scripts/build.sh,
# loadgen/scripts/build.sh), e.g. the frontend's Next.js production bundle.
# Each build script decides itself whether it is up to date, so a second run
# rebuilds nothing. Called by `make install` (hence `make start`) and `make test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The services as built JavaScript, one bundle each plus the telemetry preload
# (scripts/bundle/bundle.ts; only what changed is rebuilt).
"$(bash scripts/tools.sh node)/node" scripts/bundle/bundle.ts
for script in services/*/scripts/build.sh loadgen/scripts/build.sh; do
  [ -f "$script" ] || continue
  echo "[build] $script"
  bash "$script"
done
