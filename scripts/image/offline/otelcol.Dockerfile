# The collector `make install` builds with ocb (otel-collector/builder-config.yaml)
# on a Debian minbase; the config comes from the compose/chart volume.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY otelcol-astroshop /usr/local/bin/otelcol-astroshop
USER 1000:1000
ENTRYPOINT ["/usr/local/bin/otelcol-astroshop"]
CMD ["--config=/etc/otelcol/config.yaml"]
