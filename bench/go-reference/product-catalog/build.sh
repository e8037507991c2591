#!/usr/bin/env bash
# Builds the Go reference product-catalog (bench only, bench/go-compare.ts) once
# per content into $CACHE/go-reference-<hash>/product-catalog and prints the
# binary's path. The key covers this folder, the two .proto files, the code
# generators' versions and the Go version, so any change builds anew.
# Needs: Go (the machine's), protoc + the well-known .proto files (Debian's
# protobuf-compiler, libprotobuf-dev), the module proxy for everything else.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../../.." && pwd)
# CACHE, the shared Go module/build caches, GOPROXY, apt_ensure, with_lock, log, die.
# shellcheck source=../../../scripts/tools.sh
source "$REPO_ROOT/scripts/tools.sh"

PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2
MODULE=astroshop.local/go-reference/product-catalog
DEMO_PROTO=protos/demo.proto
FLAGD_PROTO=flagd/evaluation/v1/evaluation.proto # under scripts/devstack/proto
WKT=/usr/include/google/protobuf/struct.proto

key=$(
  cd "$REPO_ROOT"
  {
    cat "$HERE"/go.mod "$HERE"/go.sum "$HERE"/*.go "$HERE"/build.sh "$DEMO_PROTO" "scripts/devstack/proto/$FLAGD_PROTO"
    go version
  } | sha256sum | cut -c1-12
)
OUT="$CACHE/go-reference-$key"

_build() {
  [ -x "$OUT/product-catalog" ] && return 0
  # protoc and google/protobuf/*.proto (flagd's API imports struct.proto).
  command -v protoc >/dev/null 2>&1 && [ -f "$WKT" ] || {
    apt_ensure protoc protobuf-compiler
    [ -f "$WKT" ] || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends libprotobuf-dev >&2 || die "apt-get install libprotobuf-dev failed"
  }
  local gen="$CACHE/protoc-gen-go-$PROTOC_GEN_GO_VERSION-grpc-$PROTOC_GEN_GO_GRPC_VERSION"
  if [ ! -x "$gen/protoc-gen-go-grpc" ]; then
    log "building protoc-gen-go $PROTOC_GEN_GO_VERSION and protoc-gen-go-grpc $PROTOC_GEN_GO_GRPC_VERSION"
    local gtmp; gtmp=$(mktemp -d "$CACHE/protoc-gen.XXXX")
    # Two modules: go install takes one module per call.
    GOBIN="$gtmp" CGO_ENABLED=0 go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION" >&2 \
      && GOBIN="$gtmp" CGO_ENABLED=0 go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION" >&2 \
      || die "building the protoc plugins failed"
    rm -rf "$gen"; mv "$gtmp" "$gen"
  fi
  log "building the Go reference product-catalog (first time only; a few minutes)"
  local tmp; tmp=$(mktemp -d "$CACHE/go-reference.XXXX")
  cp "$HERE"/go.mod "$HERE"/go.sum "$HERE"/*.go "$tmp/"
  # demo.proto says go_package "genproto/oteldemo"; the M options place both
  # packages inside this module instead.
  local m="M${DEMO_PROTO#protos/}=$MODULE/genproto/oteldemo,M$FLAGD_PROTO=$MODULE/genproto/flagd/evaluation/v1"
  PATH="$gen:$PATH" protoc -I "$REPO_ROOT/protos" -I "$REPO_ROOT/scripts/devstack/proto" -I /usr/include \
    --go_out="$tmp" --go_opt="module=$MODULE,$m" --go-grpc_out="$tmp" --go-grpc_opt="module=$MODULE,$m" \
    "$REPO_ROOT/$DEMO_PROTO" "$REPO_ROOT/scripts/devstack/proto/$FLAGD_PROTO" >&2 || die "protoc failed"
  (cd "$tmp" && CGO_ENABLED=0 go build -mod=readonly -trimpath -o "$tmp/out/product-catalog" . >&2) \
    || die "go build of the Go reference failed"
  rm -rf "$OUT"; mv "$tmp/out" "$OUT"; rm -rf "$tmp"
}

[ -x "$OUT/product-catalog" ] || with_lock go-reference _build
echo "$OUT/product-catalog"
