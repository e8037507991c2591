#!/usr/bin/env bash
# Builds the storefront's production bundle (.next/) unless it is up to date:
# the stamp is a hash of everything Next compiles (the browser-safe package
# entries it bundles included). FORCE=1 rebuilds anyway.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(cd ../.. && pwd)
# The repo's pinned Node when available (an image build has node on PATH instead).
if [ -f "$repo/scripts/tools.sh" ]; then export PATH="$(bash "$repo/scripts/tools.sh" node):$PATH"; fi
stamp=.next/.astroshop-source-hash
hash=$( { find pages components lib styles public instrumentation-client.ts -type f -print0 | sort -z | xargs -0 sha256sum;
          sha256sum next.config.mjs package.json tsconfig.json "$repo/pnpm-lock.yaml" \
            "$repo/packages/money/src/nanos.ts" "$repo/packages/telemetry/src/names.ts"; } | sha256sum | cut -c1-16)
if [ "${FORCE:-}" != 1 ] && [ -f .next/BUILD_ID ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  echo "frontend: build up to date ($hash)"
  exit 0
fi
echo "frontend: building the Next.js production bundle ($hash)"
export NEXT_TELEMETRY_DISABLED=1
node node_modules/next/dist/bin/next build
echo "$hash" >"$stamp"
