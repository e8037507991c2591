#!/usr/bin/env bash
# Copies the repository's configuration into the Helm chart (Helm can only read
# files inside the chart). `--check` fails when a copy drifted (run by make test).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
chart="$root/helm/astronomy-shop/files"
pairs=(
  "flagd/demo.flagd.json:demo.flagd.json"
  "otel-collector/config.yaml:otel-collector/config.yaml"
  "otel-collector/config.k8s.yaml:otel-collector/config.k8s.yaml"
  "otel-collector/config.opensearch.yaml:otel-collector/config.opensearch.yaml"
  "jaeger/config.yaml:jaeger/config.yaml"
  "prometheus/prometheus.yml:prometheus/prometheus.yml"
  "postgresql/init.sql:postgresql/init.sql"
)
for f in grafana/grafana.ini grafana/provisioning/datasources/datasources.yaml grafana/provisioning/datasources/opensearch.yaml grafana/provisioning/dashboards/dashboards.yaml \
  "$root"/grafana/provisioning/dashboards/demo/*.json; do
  f=${f#"$root/"}
  pairs+=("$f:$f")
done
for rules in "$root"/prometheus/rules/*.yml; do
  [ -e "$rules" ] && pairs+=("prometheus/rules/$(basename "$rules"):prometheus/rules/$(basename "$rules")")
done
# The flag file is runtime state natively (the flag UI and `make scenario`
# rewrite flagd/demo.flagd.json in place): the chart, and compose which seeds
# from the chart's copy, ship the definitions as committed, never a flipped flag.
committed_flags=$(mktemp)
trap 'rm -f "$committed_flags"' EXIT
if git -C "$root" cat-file -e HEAD:flagd/demo.flagd.json 2>/dev/null; then
  git -C "$root" show HEAD:flagd/demo.flagd.json >"$committed_flags"
else
  cp "$root/flagd/demo.flagd.json" "$committed_flags" # not a git checkout (an exported tree)
fi
status=0
for pair in "${pairs[@]}"; do
  src="$root/${pair%%:*}" dst="$chart/${pair##*:}"
  [ "${pair%%:*}" = flagd/demo.flagd.json ] && src=$committed_flags
  if [ "${1:-}" = --check ]; then
    if ! cmp -s "$src" "$dst"; then echo "chart copy out of date: ${pair##*:} (run scripts/sync-chart-files.sh)" >&2; status=1; fi
  else
    mkdir -p "$(dirname "$dst")" && cp "$src" "$dst"
  fi
done
exit $status
