#!/usr/bin/env bash
# Assembles one deployable's runtime tree on the host (scripts/image/build-images.sh
# runs it; the Dockerfile copies the result). `make test` runs it too
# (test/static/deploy.test.ts), so the image build steps are exercised on every
# test run without a container engine.
#
#   scripts/image/build-service.sh <service> <out-dir>
#
# <service> is a directory under services/, `loadgen`, or `flagd` (our
# flagd-compatible server in scripts/devstack, for the offline image set).
# A bundled deployable (scripts/bundle: every Node service but the frontend)
# gets its bundle, the telemetry preload's bundle and only the packages those
# keep external, with their dependencies (issue 17: no sources, no other
# packages). It runs as
#   cd <out-dir> && node --import ./packages/telemetry/dist/register.mjs <dir>/dist/main.mjs
# Any other gets the workspace sources with production dependencies and runs as
#   cd <out-dir> && node --import ./packages/telemetry/src/register.ts <dir>/src/main.ts
# (workspace packages stay real directories, which Node's type stripping requires).
set -euo pipefail
service=${1:?usage: build-service.sh <service> <out-dir>}
out=${2:?usage: build-service.sh <service> <out-dir>}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)

case "$service" in
  loadgen) src_dir=loadgen ;;
  flagd) src_dir=scripts/devstack ;;
  *) src_dir="services/$service" ;;
esac
[ -f "$root/$src_dir/package.json" ] || { echo "build-service: no $src_dir/package.json" >&2; exit 1; }
pkg_name=$(node -p "require('$root/$src_dir/package.json').name")

mkdir -p "$out"

# copy_bundled: the deployable's bundle tree. pnpm keeps every package in
# node_modules/.pnpm/<id>/node_modules/<name> next to links to its own
# dependencies; the bundles' dist/node_modules links point there. Copying the
# <id> directories reachable from those links, in the same layout, keeps every
# relative link valid and brings exactly the external packages' dependencies.
copy_bundled() {
  local d pkg id link
  local -a queue=()
  local -A ids=()
  # Its files besides sources and tests (static assets, data files), then the bundles.
  mkdir -p "$out/$src_dir"
  tar -C "$root/$src_dir" --exclude=./src --exclude=./test --exclude=./node_modules --exclude=./dist \
    --exclude=./README.md -cf - . | tar -C "$out/$src_dir" -xf -
  for d in "$src_dir/dist" packages/telemetry/dist; do
    mkdir -p "$out/$d"
    tar -C "$root/$d" --exclude=./inputs.json -cf - . | tar -C "$out/$d" -xf -
    while IFS= read -r -d '' link; do queue+=("$(realpath "$link")"); done \
      < <(find "$root/$d/node_modules" -type l -print0)
  done
  while [ ${#queue[@]} -gt 0 ]; do
    pkg=${queue[-1]}
    unset 'queue[-1]'
    id=${pkg%/node_modules/*}
    case "$id" in "$root"/node_modules/.pnpm/*) ;; *) echo "build-service: $pkg is not a pnpm package" >&2; exit 1 ;; esac
    [ -n "${ids[$id]:-}" ] && continue
    ids[$id]=1
    for link in "$id"/node_modules/* "$id"/node_modules/@*/*; do
      [ -L "$link" ] && queue+=("$(realpath "$link")")
    done
  done
  printf '%s\n' "${!ids[@]}" | sed "s|^$root/||" | sort | tar -C "$root" -cf - -T - | tar -C "$out" -xf -
  prune_store
}

# What Node never loads from installed packages: TypeScript (it does not strip
# types under node_modules), source maps (read only with
# --enable-source-maps), docs, and each package's tests, examples and
# benchmarks (~40 % of the bytes).
prune_store() {
  local pkg
  find "$out/node_modules/.pnpm" -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.map' -o -name '*.md' \) -delete
  for pkg in "$out"/node_modules/.pnpm/*/node_modules/* "$out"/node_modules/.pnpm/*/node_modules/@*/*; do
    [ -d "$pkg" ] && [ ! -L "$pkg" ] || continue
    rm -rf "$pkg"/{test,tests,__tests__,example,examples,benchmarks,bench,docs,.github}
  done
}

# Bundled? The bundler rebuilds only what changed since the last build.
node "$root/scripts/bundle/bundle.ts" telemetry "$(basename "$src_dir")" >&2
if [ -f "$root/$src_dir/dist/main.mjs" ] && [ "$service" != flagd ]; then
  copy_bundled
  echo "$out"
  exit 0
fi

# Workspace skeleton: root manifests + every shared package + this deployable.
cp "$root/package.json" "$root/pnpm-workspace.yaml" "$root/pnpm-lock.yaml" "$root/tsconfig.base.json" "$out/"
[ -f "$root/.npmrc" ] && cp "$root/.npmrc" "$out/"
mkdir -p "$out/packages" "$out/$(dirname "$src_dir")"
copy_tree() { # copy_tree <from> <to>: without node_modules, tests or build caches
  mkdir -p "$2"
  tar -C "$1" --exclude=node_modules --exclude=./test --exclude=.next/cache -cf - . | tar -C "$2" -xf -
}
for pkg in "$root"/packages/*/; do
  copy_tree "$pkg" "$out/packages/$(basename "$pkg")"
done
copy_tree "$root/$src_dir" "$out/$src_dir"
copy_tree "$root/protos" "$out/protos"

cd "$out"
# A deployable may need a build step (e.g. the Next.js frontend); it runs with
# dev dependencies, which are pruned afterwards.
if [ -x "$src_dir/scripts/build.sh" ]; then
  pnpm install --frozen-lockfile --filter "${pkg_name}..." --config.confirmModulesPurge=false >&2
  "$src_dir/scripts/build.sh" >&2
fi
# Production dependencies of this deployable and the packages it uses, nothing else.
rm -rf node_modules "$src_dir/node_modules" packages/*/node_modules
pnpm install --frozen-lockfile --prod --filter "${pkg_name}..." --config.confirmModulesPurge=false >&2
# A Next.js build: only the files its production server can load, traced from
# the entrypoint's preload and server entry (scripts/image/prune-next.ts).
if [ -f "$src_dir/.next/next-server.js.nft.json" ]; then
  node "$root/scripts/image/prune-next.ts" "$out" "$src_dir" packages/telemetry/src/register.ts >&2
fi
prune_store
echo "$out"
