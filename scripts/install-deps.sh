#!/usr/bin/env bash
# Installs the workspace's node dependencies with our pinned pnpm, only when
# package.json files or the lockfile changed since the last successful install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
NODE_BIN=$(bash scripts/tools.sh node)
export PATH="$NODE_BIN:$PATH"
stamp=node_modules/.astroshop-install-stamp
# The workspace's own package.json files (git's view: tracked or new, not
# ignored). A find over the tree walked node_modules (0.7 s of every `make
# start`) and counted generated copies (_build/images/*, .next/) whose coming
# and going forced a reinstall.
manifests() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard -- package.json '*/package.json'
  else
    find . \( -name node_modules -o -name .git -o -path ./.run -o -path ./_build \) -prune -o -name package.json -print0
  fi
}
key=$( { cat pnpm-lock.yaml pnpm-workspace.yaml 2>/dev/null; manifests | sort -z | xargs -0 cat 2>/dev/null || true; } | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
  exit 0
fi
if [ -f pnpm-lock.yaml ]; then
  pnpm install --frozen-lockfile --prefer-offline
else
  pnpm install
fi
echo "$key" >"$stamp"
