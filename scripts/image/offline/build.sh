#!/usr/bin/env bash
# `make images OFFLINE=1`: the third-party images of the stack, built from the
# same sources `make install` uses natively, for machines that cannot pull
# from an image registry. Local names astroshop-offline/<name>:<version>;
# docker-compose.offline.yml selects them.
#   scripts/image/offline/build.sh [name...]   # default: all
# Not in the set (cannot be built from the package registries reachable
# here): Grafana and OpenSearch. The offline compose override leaves them out.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
here="$root/scripts/image/offline"
cd "$root"
log() { printf '[offline] %s\n' "$*" >&2; }
die() { printf '[offline] ERROR: %s\n' "$*" >&2; exit 1; }
tool() { bash scripts/tools.sh "$1"; }
v() { sed -n "s/^$1=//p" scripts/tools.sh; }

export PATH="$(tool node):$PATH"
bash scripts/image/docker-up.sh
export DOCKER_BUILDKIT=0 # the classic builder: BuildKit's frontend image cannot be pulled here
VERSION=${IMAGE_VERSION:-$(sed -n 's/^IMAGE_VERSION=//p' .env)}

# name -> image (the versions are the ones tools.sh pins; Debian packages by
# their Debian major, the exact version is in the image's label)
image_of() {
  case "$1" in
    otel-collector) echo "astroshop-offline/otel-collector:$(v OCB_VERSION)" ;;
    jaeger) echo "astroshop-offline/jaeger:$(v JAEGER_VERSION)" ;;
    prometheus) echo "astroshop-offline/prometheus:$(v PROMETHEUS_DEB_VERSION)" ;;
    kafka) echo "astroshop-offline/kafka:$(v KAFKA_VERSION)" ;;
    postgres) echo "astroshop-offline/postgres:15-bookworm" ;;
    redis) echo "astroshop-offline/redis:7-bookworm" ;;
    flagd) echo "astroshop-offline/flagd:$VERSION" ;;
    *) die "unknown offline image $1" ;;
  esac
}
ALL=(otel-collector jaeger prometheus kafka postgres redis flagd)

build() { # build <name> <dockerfile> <base> <stage>
  local name=$1 dockerfile=$2 base=$3 stage=$4 image
  image=$(image_of "$name")
  log "$name: docker build $image (base $base)"
  docker build -q -f "$dockerfile" --build-arg BASE_IMAGE="$base" \
    --label org.opencontainers.image.source="astronomy-shop scripts/image/offline" \
    -t "$image" "$stage" >"$stage.docker-build.log" 2>&1 \
    || { tail -n 30 "$stage.docker-build.log" >&2; die "$name: docker build failed"; }
}

names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")
stage_root="$root/_build/offline"
mkdir -p "$stage_root"
declare -A took
for name in "${names[@]}"; do
  t0=$(date +%s)
  stage="$stage_root/$name"
  rm -rf "$stage"; mkdir -p "$stage"
  case "$name" in
    otel-collector)
      cp "$(tool otelcol)" "$stage/otelcol-astroshop"
      build "$name" "$here/otelcol.Dockerfile" "$(bash scripts/image/base.sh debian minbase)" "$stage" ;;
    jaeger)
      cp "$(tool jaeger)" "$stage/jaeger"
      build "$name" "$here/jaeger.Dockerfile" "$(bash scripts/image/base.sh debian minbase)" "$stage" ;;
    prometheus)
      prom_root=$(dirname "$(tool prometheus)")/../..
      mkdir -p "$stage/prometheus/usr/bin" "$stage/prometheus/usr/share/prometheus" "$stage/prometheus/etc/prometheus"
      cp "$prom_root/usr/bin/prometheus" "$prom_root/usr/bin/promtool" "$stage/prometheus/usr/bin/"
      cp -r "$prom_root/usr/share/prometheus/web" "$stage/prometheus/usr/share/prometheus/"
      for d in consoles console_libraries; do
        [ -d "$prom_root/etc/prometheus/$d" ] && cp -rL "$prom_root/etc/prometheus/$d" "$stage/prometheus/etc/prometheus/"
      done
      cp prometheus/prometheus.yml "$stage/prometheus/etc/prometheus/"
      cp -r prometheus/rules "$stage/prometheus/etc/prometheus/"
      build "$name" "$here/prometheus.Dockerfile" "$(bash scripts/image/base.sh debian minbase)" "$stage" ;;
    kafka)
      cp -r "$(tool kafka)" "$stage/libs"
      mkdir -p "$stage/config" "$stage/otel"
      cp "$(tool otel_javaagent)" "$stage/otel/"
      cp kafka/server.properties kafka/log4j2.properties kafka/otel-agent.properties "$stage/config/"
      cp "$here/kafka-entrypoint.sh" "$here/kafka-ready.sh" "$stage/"
      build "$name" "$here/kafka.Dockerfile" "$(bash scripts/image/base.sh debian jre openjdk-17-jre-headless)" "$stage" ;;
    postgres)
      cp "$here/postgres-entrypoint.sh" "$stage/"
      build "$name" "$here/postgres.Dockerfile" "$(bash scripts/image/base.sh debian postgres postgresql-15)" "$stage" ;;
    redis)
      build "$name" "$here/redis.Dockerfile" "$(bash scripts/image/base.sh debian redis redis-server)" "$stage" ;;
    flagd)
      bash scripts/image/build-service.sh flagd "$stage/app" >/dev/null 2>"$stage.build-service.log" \
        || { tail -n 30 "$stage.build-service.log" >&2; die "flagd: build-service.sh failed"; }
      build "$name" "$here/flagd.Dockerfile" "$(bash scripts/image/base.sh node)" "$stage" ;;
    *) die "unknown offline image $name (known: ${ALL[*]})" ;;
  esac
  rm -rf "$stage" "$stage".*.log
  took[$name]=$(( $(date +%s) - t0 ))
done

printf '\n%-16s %-48s %9s %7s\n' name image size build
for name in "${names[@]}"; do
  image=$(image_of "$name")
  printf '%-16s %-48s %6d MB %6ss\n' "$name" "$image" $(( $(docker image inspect -f '{{.Size}}' "$image") / 1000 / 1000 )) "${took[$name]}"
done
echo "not in the offline set: grafana, opensearch (no source in the reachable package registries)"
