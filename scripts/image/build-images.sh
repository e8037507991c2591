#!/usr/bin/env bash
# `make images`: builds every TypeScript deployable's image from the one
# Dockerfile, then prints a size table.
#   scripts/image/build-images.sh [component...]     # default: all of them
# Environment:
#   BASE_IMAGE   base for the Dockerfile; default the distroless-style node
#                runtime that `scripts/image/base.sh node-runtime` builds from
#                Debian packages and the npm node binary (and caches): the
#                official node:<version>-slim alone is ~200 MB, over the
#                150 MB an image may weigh (issue 17).
#   REGISTRY     image repository prefix (default ghcr.io/astronomy-shop); the
#                images are <REGISTRY>/astronomy-shop:<version>-<component> and,
#                immutable, <REGISTRY>/astronomy-shop:<version>-<commit>-<component>
#   FORCE=1      rebuild even if an image's inputs are unchanged
#   PUSH=1       push after building; PUSH_TAGS=commit|version|both (default
#                both). A version tag that already exists in the registry is
#                never overwritten (immutable): the push fails instead.
# Each deployable's runtime tree is assembled on the host by build-service.sh
# (pnpm with the host's store and network), so `docker build` itself needs no
# network. Builds run one at a time: the machines this runs on have 2 cores.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
log() { printf '[images] %s\n' "$*" >&2; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }

export PATH="$(bash scripts/tools.sh node):$PATH"
bash scripts/image/docker-up.sh

VERSION=${IMAGE_VERSION:-$(sed -n 's/^IMAGE_VERSION=//p' .env)}
COMMIT=$(git rev-parse --short=7 HEAD 2>/dev/null || echo nogit)
# A commit tag must name what was built: uncommitted changes mark it dirty.
git diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT-dirty"
REPO="${REGISTRY:-ghcr.io/astronomy-shop}/astronomy-shop"

# component name (service.name, image tag suffix) -> source directory
all_components() {
  for d in services/*/; do
    [ -f "$d/package.json" ] && basename "$d"
  done
  echo load-generator
}
src_of() { [ "$1" = load-generator ] && echo loadgen || echo "services/$1"; }
svc_of() { [ "$1" = load-generator ] && echo loadgen || echo "$1"; }

pick_base() {
  if [ -n "${BASE_IMAGE:-}" ]; then echo "$BASE_IMAGE"; return; fi
  bash scripts/image/base.sh node-runtime
}

components=("$@")
[ ${#components[@]} -gt 0 ] || mapfile -t components < <(all_components)
base=$(pick_base)
export DOCKER_BUILDKIT=0 # the classic builder: BuildKit's frontend image cannot be pulled here

stage_root="$root/_build/images"
mkdir -p "$stage_root"
declare -A took
for c in "${components[@]}"; do
  src=$(src_of "$c")
  [ -f "$src/package.json" ] || die "unknown component $c (no $src/package.json)"
  t0=$(date +%s)
  # Up to date? The inputs' hash (everything build-service.sh copies, plus the
  # Dockerfile, the image scripts and the base's id) is a label on the image.
  app_key=$(find package.json pnpm-workspace.yaml pnpm-lock.yaml tsconfig.base.json packages protos "$src" \
             scripts/image/build-service.sh scripts/image/prune-next.ts -type f -not -path '*/node_modules/*' -not -path '*/.next/*' \
             -not -path '*/test/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
  key=$( { echo "$app_key"; sha256sum Dockerfile scripts/image/entrypoint.sh scripts/image/healthcheck.sh;
           docker image inspect -f '{{.Id}}' "$base"; } | sha256sum | cut -c1-16)
  if [ "${FORCE:-0}" != 1 ] &&
    [ "$(docker image inspect -f '{{index .Config.Labels "astroshop.inputs"}}' "$REPO:$VERSION-$c" 2>/dev/null)" = "$key" ]; then
    docker tag "$REPO:$VERSION-$c" "$REPO:$VERSION-$COMMIT-$c"
    log "$c: up to date ($key)"
    took[$c]=$(( $(date +%s) - t0 ))
    continue
  fi
  stage="$stage_root/$c"
  # The staged runtime tree is reused when its own inputs are unchanged (only
  # the Dockerfile, image scripts or base changed).
  if [ "$(cat "$stage/app.key" 2>/dev/null)" != "$app_key" ] || [ "${FORCE:-0}" = 1 ]; then
    rm -rf "$stage"; mkdir -p "$stage"
    log "$c: assembling the runtime tree on the host"
    bash scripts/image/build-service.sh "$(svc_of "$c")" "$stage/app" >/dev/null 2>"$stage/build-service.log" \
      || { tail -n 30 "$stage/build-service.log" >&2; die "$c: build-service.sh failed"; }
    echo "$app_key" >"$stage/app.key"
  fi
  rm -rf "$stage/image"; mkdir -p "$stage/image"
  cp scripts/image/entrypoint.sh scripts/image/healthcheck.sh "$stage/image/"
  log "$c: docker build ($base)"
  docker build -q -f Dockerfile --build-arg BASE_IMAGE="$base" --build-arg SERVICE_DIR="$src" \
    --label org.opencontainers.image.version="$VERSION" --label org.opencontainers.image.revision="$COMMIT" \
    --label astroshop.inputs="$key" \
    -t "$REPO:$VERSION-$c" -t "$REPO:$VERSION-$COMMIT-$c" "$stage" >"$stage_root/$c.docker-build.log" 2>&1 \
    || { tail -n 30 "$stage_root/$c.docker-build.log" >&2; die "$c: docker build failed"; }
  # The staged context stays (pnpm hard-links from its store, so it is cheap):
  # `docker compose build <service>` reuses it.
  took[$c]=$(( $(date +%s) - t0 ))
done

if [ "${PUSH:-0}" = 1 ]; then
  [ -n "${REGISTRY:-}" ] || die "PUSH=1 needs REGISTRY=<registry/namespace>"
  for c in "${components[@]}"; do
    case "${PUSH_TAGS:-both}" in commit | both) docker push -q "$REPO:$VERSION-$COMMIT-$c" ;; esac
    case "${PUSH_TAGS:-both}" in
      version | both)
        if docker manifest inspect "$REPO:$VERSION-$c" >/dev/null 2>&1; then
          die "$REPO:$VERSION-$c exists in the registry; version tags are immutable (bump IMAGE_VERSION)"
        fi
        docker push -q "$REPO:$VERSION-$c" ;;
    esac
  done
fi

printf '\n%-18s %-58s %9s %7s\n' component image size build
for c in "${components[@]}"; do
  size=$(docker image inspect -f '{{.Size}}' "$REPO:$VERSION-$c")
  printf '%-18s %-58s %6d MB %6ss\n' "$c" "$REPO:$VERSION-$c" $(( size / 1000 / 1000 )) "${took[$c]}"
done
printf 'base: %s (%d MB)\n' "$base" $(( $(docker image inspect -f '{{.Size}}' "$base") / 1000 / 1000 ))
