#!/usr/bin/env bash
# Makes a container engine usable on a fresh Debian machine without an init
# system: installs Debian's docker.io if absent, starts dockerd in the
# background if it is not answering, and provides the `docker compose` v2
# plugin (Debian bookworm ships none; it is built once from the Go module proxy
# and cached under ~/.cache/astroshop). Idempotent: a warm machine costs one
# `docker info`.
#   scripts/image/docker-up.sh            # engine only
#   scripts/image/docker-up.sh compose    # engine + the compose plugin
#   DOCKERD_LOG=/tmp/dockerd.log          # where the daemon logs (default)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${ASTROSHOP_CACHE:-$HOME/.cache/astroshop}
COMPOSE_VERSION=2.40.3 # v5 needs Go 1.26.10; this one builds with the Go we have
log() { printf '[docker-up] %s\n' "$*" >&2; }
die() { printf '[docker-up] ERROR: %s\n' "$*" >&2; exit 1; }

if ! command -v dockerd >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "dockerd is not installed; run as root or: apt-get install docker.io"
  log "installing Debian's docker.io"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >&2
fi

if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "the docker daemon is not running and only root can start it here"
  log "starting dockerd (log: ${DOCKERD_LOG:-/tmp/dockerd.log})"
  # setsid: the daemon outlives this script and the make that called it. It
  # must not inherit our other descriptors either: started under
  # `flock <lock> make …`, it would hold that lock for as long as it runs.
  (
    for fd in /proc/self/fd/*; do
      n=${fd##*/}
      [ "$n" -gt 2 ] && eval "exec $n>&-"
    done
    exec setsid dockerd >"${DOCKERD_LOG:-/tmp/dockerd.log}" 2>&1 </dev/null
  ) &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || die "dockerd did not answer within 60 s; see ${DOCKERD_LOG:-/tmp/dockerd.log}"
fi

if [ "${1:-}" = compose ] && ! docker compose version >/dev/null 2>&1; then
  dir="$CACHE/docker-compose-$COMPOSE_VERSION"
  if [ ! -x "$dir/docker-compose" ]; then
    command -v go >/dev/null 2>&1 || die "docker compose is missing and Go is not installed to build it"
    log "building docker compose $COMPOSE_VERSION from the Go module proxy (first time only; a few minutes)"
    tmp=$(mktemp -d "$CACHE/compose.XXXX")
    # compose's go.mod has exclude directives, which `go install pkg@version`
    # refuses: build it inside a small wrapper module carrying the same excludes.
    (
      cd "$tmp"
      export GOPATH="$CACHE/go" GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" GOFLAGS=-modcacherw \
        GOTOOLCHAIN=local GOPROXY=${GOPROXY_OVERRIDE:-https://proxy.golang.org} CGO_ENABLED=0
      go mod init astroshop.local/compose-build >&2
      printf 'exclude github.com/davecgh/go-spew v1.1.2-0.20180830191138-d8f796af33cc\nexclude github.com/pmezard/go-difflib v1.0.1-0.20181226105442-5d4384ee4fb2\n' >>go.mod
      go get "github.com/docker/compose/v2/cmd@v$COMPOSE_VERSION" >&2
      go build -trimpath -ldflags="-s -w -X github.com/docker/compose/v2/internal.Version=v$COMPOSE_VERSION" \
        -o "$tmp/out/docker-compose" github.com/docker/compose/v2/cmd >&2
    ) || die "building docker compose failed"
    rm -rf "$dir"; mv "$tmp/out" "$dir"; rm -rf "$tmp"
  fi
  mkdir -p "$HOME/.docker/cli-plugins"
  ln -sf "$dir/docker-compose" "$HOME/.docker/cli-plugins/docker-compose"
  docker compose version >/dev/null 2>&1 || die "docker compose plugin does not run"
fi
