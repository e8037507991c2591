{{/* Chart label value. */}}
{{- define "shop.chart" -}}
{{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Labels on every object; `name` is the component. */}}
{{- define "shop.labels" -}}
helm.sh/chart: {{ include "shop.chart" .root }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: astronomy-shop
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "shop.selectorLabels" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/name: {{ .name }}
{{- end -}}

{{/*
Image reference. Every image goes through global.imageRegistry when set, so an
air-gapped mirror covers the whole install (upstream chart defect: only demo
images honoured the registry override).
*/}}
{{- define "shop.image" -}}
{{- $root := .root -}}
{{- $c := .component -}}
{{- $registry := $root.Values.global.imageRegistry -}}
{{- $ref := "" -}}
{{- if $c.image -}}
{{- $ref = printf "%s:%s" $c.image.repository $c.image.tag -}}
{{- else -}}
{{- $tag := default $root.Chart.AppVersion $root.Values.default.image.tag -}}
{{- $ref = printf "%s:%s-%s" $root.Values.default.image.repository $tag .name -}}
{{- end -}}
{{- if $registry -}}
{{- printf "%s/%s" (trimSuffix "/" $registry) $ref -}}
{{- else -}}
{{- $ref -}}
{{- end -}}
{{- end -}}

{{/* Env list: defaults (when useDefaultEnv), then the component's, then resource attributes last. */}}
{{- define "shop.env" -}}
{{- $root := .root -}}
{{- $c := .component -}}
{{- $env := list -}}
{{- if $c.useDefaultEnv -}}
{{- range $k, $v := $root.Values.default.env }}{{ $env = append $env (dict "name" $k "value" (tpl (toString $v) $root)) }}{{ end -}}
{{- $env = append $env (dict "name" "OTEL_SERVICE_NAME" "value" .name) -}}
{{- end -}}
{{- /* `NAME: { secret: key }` reads key from the demo-credentials Secret (credentials.yaml). */ -}}
{{- range $k, $v := $c.env }}
{{- if kindIs "map" $v }}{{ $env = append $env (dict "name" $k "valueFrom" (dict "secretKeyRef" (dict "name" "demo-credentials" "key" $v.secret))) }}
{{- else }}{{ $env = append $env (dict "name" $k "value" (tpl (toString $v) $root)) }}{{ end }}
{{- end -}}
{{- if or $c.useDefaultEnv $c.telemetry -}}
{{- /* Kubernetes identity from the downward API (as the original's chart):
       the K8S_* variables come first so $(VAR) expands in the attributes. The
       Deployment is named after the component, so its name is known here. */ -}}
{{- range $var, $field := dict "K8S_POD_NAME" "metadata.name" "K8S_POD_UID" "metadata.uid" "K8S_NAMESPACE_NAME" "metadata.namespace" "K8S_NODE_NAME" "spec.nodeName" }}
{{- $env = append $env (dict "name" $var "valueFrom" (dict "fieldRef" (dict "fieldPath" $field))) -}}
{{- end -}}
{{- $attrs := printf "service.namespace=%s,service.version=%s,deployment.environment.name=%s" $root.Values.default.serviceNamespace $root.Chart.AppVersion $root.Values.default.environment -}}
{{- if $c.criticality }}{{ $attrs = printf "%s,service.criticality=%s" $attrs $c.criticality }}{{ end -}}
{{- $attrs = printf "%s,k8s.namespace.name=$(K8S_NAMESPACE_NAME),k8s.node.name=$(K8S_NODE_NAME),k8s.pod.name=$(K8S_POD_NAME),k8s.pod.uid=$(K8S_POD_UID),k8s.deployment.name=%s,k8s.container.name=%s" $attrs (.deployment | default .name) .name -}}
{{- $env = append $env (dict "name" "OTEL_RESOURCE_ATTRIBUTES" "value" $attrs) -}}
{{- end -}}
{{- toYaml $env -}}
{{- end -}}

{{/*
Probe body from {grpc: port} | {http: {path, port}} | {tcp: port} | {exec: [...]}.
`service` (gRPC) names the grpc.health.v1 service to check.
*/}}
{{- define "shop.probe" -}}
{{- if .grpc -}}
grpc:
  port: {{ .grpc }}
  {{- with .service }}
  service: {{ . }}
  {{- end }}
{{- else if .http -}}
httpGet:
  path: {{ .http.path }}
  port: {{ .http.port }}
{{- else if .tcp -}}
tcpSocket:
  port: {{ .tcp }}
{{- else if .exec -}}
exec:
  command: {{ toJson .exec }}
{{- end }}
timeoutSeconds: 3
{{- end -}}

{{/* Data of a chart-managed ConfigMap, by name (used for checksums and the ConfigMaps themselves). */}}
{{- define "shop.configMapData" -}}
{{- $root := .root -}}
{{- $spec := get $root.Values.configMaps .name -}}
{{- range $key, $entry := $spec.files }}
{{- /* `key: {file, when: <component>}` is included only while that component
       is enabled (e.g. Grafana's OpenSearch datasource). */ -}}
{{- $file := $entry }}
{{- $wanted := true }}
{{- if kindIs "map" $entry }}
{{- $file = $entry.file }}
{{- $wanted = include "shop.enabled" (dict "root" $root "name" $entry.when) }}
{{- end }}
{{- if $wanted }}
{{ $key }}: |
{{- if eq $file "@flags" }}
{{ include "shop.flags" $root | indent 2 }}
{{- else }}
{{ $root.Files.Get $file | indent 2 }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* "true" when the named component (components or extraComponents) is enabled, else "". */}}
{{- define "shop.enabled" -}}
{{- $c := get (merge (deepCopy .root.Values.extraComponents) (deepCopy .root.Values.components)) .name -}}
{{- if and $c $c.enabled }}true{{ end -}}
{{- end -}}

{{/*
flagd's flag file: the chart's copy of flagd/demo.flagd.json with each
defaultVariant overridable from values (flags.<key>: <variant>), so a fault can
be switched on at install time (upstream could not set flags from values).
*/}}
{{- define "shop.flags" -}}
{{- $doc := .Files.Get "files/demo.flagd.json" | fromJson -}}
{{- range $key, $variant := .Values.flags -}}
{{- $flag := get $doc.flags $key -}}
{{- if not $flag -}}{{- fail (printf "flags.%s: no such flag in demo.flagd.json" $key) -}}{{- end -}}
{{- if not (hasKey $flag.variants $variant) -}}{{- fail (printf "flags.%s: unknown variant %q" $key $variant) -}}{{- end -}}
{{- $_ := set $flag "defaultVariant" $variant -}}
{{- end -}}
{{- toPrettyJson $doc -}}
{{- end -}}

{{/*
Liveness from the probe contract: it asks only "does the process answer", never
about another service, so an outage of Redis/Postgres/Kafka or a readiness flag
never restarts a healthy pod. gRPC: grpc.health.v1 Check of service `liveness`;
HTTP: GET /livez on the same port; tcp/exec probes already ask only the process.
`liveness:` on a component overrides the derived probe.
*/}}
{{- define "shop.livenessProbe" -}}
{{- $p := .probe -}}
{{- if .liveness -}}
{{- include "shop.probe" .liveness -}}
{{- else if $p.grpc -}}
{{- include "shop.probe" (dict "grpc" $p.grpc "service" "liveness") -}}
{{- else if $p.http -}}
{{- include "shop.probe" (dict "http" (dict "path" "/livez" "port" $p.http.port)) -}}
{{- else -}}
{{- include "shop.probe" $p -}}
{{- end -}}
{{- end -}}
