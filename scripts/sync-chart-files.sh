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
status=0
for pair in "${pairs[@]}"; do
  src="$root/${pair%%:*}" dst="$chart/${pair##*:}"
  if [ "${1:-}" = --check ]; then
    if ! cmp -s "$src" "$dst"; then echo "chart copy out of date: ${pair##*:} (run scripts/sync-chart-files.sh)" >&2; status=1; fi
  else
    mkdir -p "$(dirname "$dst")" && cp "$src" "$dst"
  fi
done
exit $status
