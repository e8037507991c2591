#!/bin/bash
# Cheap, truthful Kafka health check (no JVM): sends an ApiVersions v0 request
# over bash's /dev/tcp and passes only if the broker answers it with
# correlation id 1 and error code 0, i.e. the request path is up, not merely
# the port.
#   kafka-ready.sh [port]
set -eu
exec 3<>"/dev/tcp/127.0.0.1/${1:-9092}"
# size=12 | api_key=18 (ApiVersions) | version=0 | correlation_id=1 | client_id="hc"
printf '\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x01\x00\x02hc' >&3
reply=$(head -c 10 <&3 | od -An -tx1 | tr -d ' \n')
exec 3<&-
# bytes 4..9 of the reply: correlation id 00000001, error code 0000
[ "${reply:8:12}" = 000000010000 ] || { echo "kafka: unexpected ApiVersions reply '$reply'" >&2; exit 1; }
