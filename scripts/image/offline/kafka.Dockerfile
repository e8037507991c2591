# Kafka (KRaft) from the jars `make install` fetches from Maven Central
# (kafka/pom.xml) on Debian's headless JRE, with the repo's server.properties
# and log4j2 config, and the OpenTelemetry Java agent as in the original's
# kafka image: JVM + broker JMX metrics and logs as service.name=kafka, only
# those (kafka/otel-agent.properties; KAFKA_OPTS="" runs the broker without it).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY libs/ /opt/kafka/libs/
COPY config/ /opt/kafka/config/
COPY otel/opentelemetry-javaagent.jar /opt/otel/opentelemetry-javaagent.jar
ENV KAFKA_OPTS="-javaagent:/opt/otel/opentelemetry-javaagent.jar -Dotel.javaagent.configuration-file=/opt/kafka/config/otel-agent.properties" \
    OTEL_SERVICE_NAME=kafka
COPY kafka-entrypoint.sh kafka-ready.sh /usr/local/bin/
RUN mkdir /var/lib/kafka && chown 1000:1000 /var/lib/kafka
USER 1000:1000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=10 CMD ["/usr/local/bin/kafka-ready.sh"]
ENTRYPOINT ["/usr/local/bin/kafka-entrypoint.sh"]
