#!/bin/bash
# Container health check with bash alone (no node start per check: under load a
# fresh V8 took longer than the check's timeout). HTTP services: GET the
# readiness URL in HEALTH_URL (http://127.0.0.1:<port>/<path>) and require a
# 2xx status line. gRPC services: a TCP connect to HEALTH_PORT (the
# orchestrator's gRPC probe checks the serving status). Listener-less
# consumers set HEALTH_URL too (their health HTTP port).
set -u
fail() { echo "unhealthy: $*" >&2; exit 1; }
if [ -n "${HEALTH_URL:-}" ]; then
  [[ "$HEALTH_URL" =~ ^http://([^/:]+):([0-9]+)(/.*)?$ ]] || fail "HEALTH_URL is not http://host:port/path: $HEALTH_URL"
  host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]} path=${BASH_REMATCH[3]:-/}
  exec 3<>"/dev/tcp/$host/$port" || fail "cannot connect to $host:$port"
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >&3
  IFS= read -r -t 8 status <&3 || fail "no answer from $HEALTH_URL"
  [[ "$status" =~ ^HTTP/1\.[01]\ 2[0-9][0-9] ]] || fail "$HEALTH_URL answered: ${status%$'\r'}"
elif [ -n "${HEALTH_PORT:-}" ]; then
  exec 3<>"/dev/tcp/127.0.0.1/$HEALTH_PORT" || fail "nothing listens on $HEALTH_PORT"
fi
exit 0
