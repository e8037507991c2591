#!/usr/bin/env bash
# Installs the workspace's node dependencies with our pinned pnpm, only when
# package.json files or the lockfile changed since the last successful install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
NODE_BIN=$(bash scripts/tools.sh node)
export PATH="$NODE_BIN:$PATH"
stamp=node_modules/.astroshop-install-stamp
key=$( { cat pnpm-lock.yaml pnpm-workspace.yaml 2>/dev/null; find . -name package.json -not -path '*/node_modules/*' -not -path './.run/*' -print0 | sort -z | xargs -0 cat; } | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
  exit 0
fi
if [ -f pnpm-lock.yaml ]; then
  pnpm install --frozen-lockfile --prefer-offline
else
  pnpm install
fi
echo "$key" >"$stamp"
