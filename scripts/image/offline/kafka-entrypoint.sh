#!/bin/sh
# Kafka (KRaft, one broker+controller) from the jars `make install` fetches and
# Debian's JRE. The repo's kafka/server.properties is the template; only what
# differs in a container is rewritten: listen on every interface, advertise
# KAFKA_ADVERTISED_HOST (the compose service name), keep data in /var/lib/kafka.
set -eu
host=${KAFKA_ADVERTISED_HOST:-$(hostname)}
port=${KAFKA_PORT:-9092}
props=/tmp/server.properties
sed -e "s#^listeners=.*#listeners=PLAINTEXT://:${port},CONTROLLER://:9093#" \
    -e "s#^advertised.listeners=.*#advertised.listeners=PLAINTEXT://${host}:${port}#" \
    -e "s#^log.dirs=.*#log.dirs=/var/lib/kafka#" \
    /opt/kafka/config/server.properties >"$props"
cp="/opt/kafka/libs/*"
log4j="-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties"
# The demo's fixed cluster id; formatting happens once per data directory.
if [ ! -f /var/lib/kafka/meta.properties ]; then
  java $log4j -cp "$cp" kafka.tools.StorageTool format -t "${KAFKA_CLUSTER_ID:-ckjPoprWQzOf0-FuNkGfFQ}" \
    -c "$props" --ignore-formatted
fi
# shellcheck disable=SC2086
# KAFKA_OPTS (as in Kafka's own scripts) carries the OTel Java agent; its
# classes live in metaspace too, hence 160m rather than 96m.
exec java ${KAFKA_HEAP_OPTS:--Xms128m -Xmx384m} -XX:+UseSerialGC -XX:MaxMetaspaceSize=160m \
  -XX:TieredStopAtLevel=1 -Xss512k -Djava.awt.headless=true ${KAFKA_OPTS:-} $log4j -cp "$cp" kafka.Kafka "$props"
