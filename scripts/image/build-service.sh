#!/usr/bin/env bash
# Assembles one deployable's runtime tree: the workspace files it needs and its
# production dependencies only. The Dockerfile runs exactly this script, and
# `make test` runs it too (test/static/image-build.test.ts), so the image build
# steps are exercised on every test run without a container engine.
#
#   scripts/image/build-service.sh <service> <out-dir>
#
# <service> is a directory under services/, `loadgen`, or `flagd` (our
# flagd-compatible server in scripts/devstack, for the offline image set). The
# result runs as
#   cd <out-dir> && node --import ./packages/telemetry/src/register.ts <entry>
# Workspace packages stay real directories (not copies under node_modules),
# which Node's type stripping requires.
set -euo pipefail
service=${1:?usage: build-service.sh <service> <out-dir>}
out=${2:?usage: build-service.sh <service> <out-dir>}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

case "$service" in
  loadgen) src_dir=loadgen ;;
  flagd) src_dir=scripts/devstack ;;
  *) src_dir="services/$service" ;;
esac
[ -f "$root/$src_dir/package.json" ] || { echo "build-service: no $src_dir/package.json" >&2; exit 1; }
pkg_name=$(node -p "require('$root/$src_dir/package.json').name")

mkdir -p "$out"
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
echo "$out"
