# Jaeger v2 as `make install` builds it from the Go module proxy.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY jaeger /usr/local/bin/jaeger
USER 1000:1000
ENTRYPOINT ["/usr/local/bin/jaeger"]
CMD ["--config=/etc/jaeger/config.yaml"]
