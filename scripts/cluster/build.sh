#!/usr/bin/env bash
# Builds everything `make cluster` runs, from the Go module proxy only (no image
# registry or release download is reachable here): Kubernetes v1.34.4 (apiserver,
# controller-manager, scheduler, kubelet, kube-proxy, kubectl) + etcd, CoreDNS with
# a minimal plugin set, Helm 3 (its client-go must match the cluster's 0.34), and a
# static pause image. Each piece is cached under ~/.cache/astroshop/<name>-<version>
# and skipped when present, so a second run costs a few stat()s.
#
# Why 1.34: this machine is cgroup v1 with containerd 1.6; from 1.35 the kubelet
# refuses cgroup v1 by default and 1.35 is the last release for containerd 1.x.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=versions.sh
. "$REPO_ROOT/scripts/cluster/versions.sh"

# Same module/build caches as scripts/tools.sh, so Go builds share downloads.
export GOPATH="$CACHE/go" GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build"
export GOFLAGS="-modcacherw -trimpath" GOTOOLCHAIN=local CGO_ENABLED=0
# Only the module proxy is reachable ("direct" would try github.com and hang on DNS).
export GOPROXY=${GOPROXY_OVERRIDE:-https://proxy.golang.org}
GO=${GO:-/usr/local/go/bin/go}
export PATH="$(dirname "$GO"):$PATH"

log() { printf '[cluster-build %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf '[cluster-build] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$CACHE/locks"
# One builder per piece: a second caller waits for that piece instead of
# building it twice; different pieces may build side by side.
locked() { # locked <piece> <function>
  ( flock 9; "$2" ) 9>"$CACHE/locks/cluster-build-$1.lock"
}

# The k8s.io/<staging> modules kubernetes replaces with ./staging/... in its own
# go.mod; outside that repo each must point at its published v0.X.Y tag.
STAGING_MODULES="api apiextensions-apiserver apimachinery apiserver cli-runtime client-go
cloud-provider cluster-bootstrap code-generator component-base component-helpers
controller-manager cri-api cri-client csi-translation-lib dynamic-resource-allocation
endpointslice externaljwt kms kube-aggregator kube-controller-manager kube-proxy
kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission
sample-apiserver sample-cli-plugin sample-controller"

version_ldflags() { # version_ldflags <package prefix...>
  local v=v$K8S_VERSION major=${K8S_VERSION%%.*} minor flags="" p
  minor=${K8S_VERSION#*.}; minor=${minor%%.*}
  for p in "$@"; do
    flags+=" -X $p.gitVersion=$v -X $p.gitMajor=$major -X $p.gitMinor=$minor"
    flags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$flags"
}

build_kubernetes() {
  local out=$K8S_DIR
  if [ -f "$out/.complete" ]; then log "kubernetes $K8S_VERSION: cached ($out)"; return; fi
  log "kubernetes $K8S_VERSION + etcd $ETCD_VERSION: building (cold ≈ 25 min on 2 cores)"
  local src="$CACHE/src/kubernetes-$K8S_VERSION"
  rm -rf "$src"; mkdir -p "$src"
  {
    echo "module astroshop.local/kubernetes"
    echo
    echo "go 1.24.0"
    echo
    echo "require ("
    echo "	k8s.io/kubernetes v$K8S_VERSION"
    echo "	go.etcd.io/etcd/server/v3 v$ETCD_VERSION"
    echo ")"
    echo
    echo "replace ("
    local m
    for m in $STAGING_MODULES; do echo "	k8s.io/$m => k8s.io/$m v0.${K8S_VERSION#*.}"; done
    echo ")"
  } >"$src/go.mod"
  # A build-tagged file importing the main packages keeps `go mod tidy` honest
  # about what the build needs without making the wrapper a program itself.
  cat >"$src/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
GO
  (cd "$src" && go mod tidy) || die "go mod tidy for kubernetes failed"
  local tmp="$out.tmp"; rm -rf "$tmp"; mkdir -p "$tmp/bin"
  (cd "$src" && go build -p 2 -ldflags "-s -w $(version_ldflags k8s.io/component-base/version k8s.io/client-go/pkg/version)" -o "$tmp/bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubectl \
    go.etcd.io/etcd/server/v3) || die "go build for kubernetes failed"
  mv "$tmp/bin/server" "$tmp/bin/etcd"
  # (output captured first: `grep -q` closing the pipe early would fail it under pipefail)
  local stamp; stamp=$("$tmp/bin/kubectl" version --client 2>/dev/null || true)
  [[ $stamp == *"v$K8S_VERSION"* ]] || die "kubectl lacks the version stamp"
  touch "$tmp/.complete"
  rm -rf "$out"; mv "$tmp" "$out"
  log "kubernetes: done ($(du -sh "$out" | cut -f1))"
}

build_coredns() {
  local out=$COREDNS_DIR
  if [ -f "$out/.complete" ]; then log "coredns $COREDNS_VERSION: cached"; return; fi
  log "coredns $COREDNS_VERSION: building"
  local src="$CACHE/src/coredns-$COREDNS_VERSION"
  rm -rf "$src"; mkdir -p "$src"
  printf 'module astroshop.local/coredns\n\ngo 1.24.0\n\nrequire github.com/coredns/coredns v%s\n' "$COREDNS_VERSION" >"$src/go.mod"
  # Only the plugins the cluster's Corefile uses: no forward/loop, so nothing is
  # ever sent to the host's resolver — pods resolve cluster names only.
  cat >"$src/main.go" <<'GO'
package main

import (
	_ "github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/hosts"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
	_ "github.com/coredns/coredns/plugin/whoami"
)

func main() { coremain.Run() }
GO
  (cd "$src" && go mod tidy) || die "go mod tidy for coredns failed"
  local tmp="$out.tmp"; rm -rf "$tmp"; mkdir -p "$tmp/bin"
  (cd "$src" && go build -ldflags "-s -w" -o "$tmp/bin/coredns" .) || die "go build for coredns failed"
  touch "$tmp/.complete"; rm -rf "$out"; mv "$tmp" "$out"
  log "coredns: done"
}

build_helm() {
  local out=$HELM3_DIR
  if [ -f "$out/.complete" ]; then log "helm $HELM3_VERSION: cached"; return; fi
  log "helm $HELM3_VERSION: building"
  local src="$CACHE/src/helm-$HELM3_VERSION"
  rm -rf "$src"; mkdir -p "$src"
  printf 'module astroshop.local/helm\n\ngo 1.24.0\n\nrequire helm.sh/helm/v3 v%s\n' "$HELM3_VERSION" >"$src/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "helm.sh/helm/v3/cmd/helm"\n' >"$src/tools.go"
  (cd "$src" && go mod tidy) || die "go mod tidy for helm failed"
  local tmp="$out.tmp"; rm -rf "$tmp"; mkdir -p "$tmp/bin"
  local minor=${K8S_VERSION#*.}; minor=${minor%%.*}
  # Without these stamps `helm version` says "unknown" and `helm template`
  # assumes Kubernetes v1.20 for .Capabilities.
  (cd "$src" && go build -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM3_VERSION \
      -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
      -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor \
      -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor" \
      -o "$tmp/bin/helm" helm.sh/helm/v3/cmd/helm) || die "go build for helm failed"
  local stamp; stamp=$("$tmp/bin/helm" version --short 2>/dev/null || true)
  [[ $stamp == "v$HELM3_VERSION"* ]] || die "helm lacks the version stamp ($stamp)"
  touch "$tmp/.complete"; rm -rf "$out"; mv "$tmp" "$out"
  log "helm: done"
}

# The pause container: pause.c ships inside the k8s.io/kubernetes module zip.
# Built static and packed by hand as a docker-archive tar (what `ctr images
# import` reads), so no image registry and no docker daemon are needed.
build_pause() {
  local out=$PAUSE_DIR
  if [ -f "$out/.complete" ]; then log "pause $PAUSE_VERSION: cached"; return; fi
  log "pause $PAUSE_VERSION: building"
  local modsrc
  modsrc=$(cd "$CACHE/src/kubernetes-$K8S_VERSION" 2>/dev/null && go list -m -f '{{.Dir}}' k8s.io/kubernetes) \
    || modsrc="$GOMODCACHE/k8s.io/kubernetes@v$K8S_VERSION"
  [ -f "$modsrc/build/pause/linux/pause.c" ] || die "pause.c not found under $modsrc"
  local tmp="$out.tmp"; rm -rf "$tmp"; mkdir -p "$tmp/root" "$tmp/img"
  gcc -Os -Wall -Werror -static -DVERSION="v$PAUSE_VERSION" -o "$tmp/root/pause" "$modsrc/build/pause/linux/pause.c" \
    || die "gcc -static pause.c failed (needs gcc and libc6-dev)"
  strip "$tmp/root/pause"
  tar --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$tmp/root" -cf "$tmp/img/layer.tar" pause
  local diff; diff=$(sha256sum "$tmp/img/layer.tar" | cut -d' ' -f1)
  cat >"$tmp/img/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Entrypoint":["/pause"],"User":"65535:65535"},"rootfs":{"type":"layers","diff_ids":["sha256:$diff"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"astroshop scripts/cluster/build.sh"}]}
JSON
  local cfg; cfg=$(sha256sum "$tmp/img/config.json" | cut -d' ' -f1)
  mv "$tmp/img/config.json" "$tmp/img/$cfg.json"
  mkdir -p "$tmp/img/$diff"; mv "$tmp/img/layer.tar" "$tmp/img/$diff/layer.tar"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$cfg" "$PAUSE_IMAGE" "$diff" >"$tmp/img/manifest.json"
  tar --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$tmp/img" -cf "$tmp/pause.tar" .
  mkdir -p "$tmp/bin"; mv "$tmp/root/pause" "$tmp/bin/pause"; rm -rf "$tmp/root" "$tmp/img"
  touch "$tmp/.complete"; rm -rf "$out"; mv "$tmp" "$out"
  log "pause: done"
}

start=$(date +%s)
what=${1:-all}
case $what in
  kubernetes|coredns|helm) locked "$what" "build_$what" ;;
  # pause.c comes from the kubernetes module, fetched by that build.
  pause) locked kubernetes build_kubernetes; locked pause build_pause ;;
  all) locked kubernetes build_kubernetes; locked pause build_pause; locked coredns build_coredns; locked helm build_helm ;;
  *) die "unknown target $what (kubernetes|coredns|helm|pause|all)" ;;
esac
log "all requested pieces present ($(( $(date +%s) - start )) s)"
