# Debian's prometheus package, unpacked exactly as `make install` does (never
# installed as a daemon): the binary, its web UI assets and console templates.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY prometheus/ /
# The TSDB lives in /prometheus; a volume mounted there inherits this owner.
RUN mkdir /prometheus && chown 1000:1000 /prometheus
USER 1000:1000
WORKDIR /prometheus
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", \
     "--web.local-assets=/usr/share/prometheus/web/", "--web.console.templates=/etc/prometheus/consoles", \
     "--web.console.libraries=/etc/prometheus/console_libraries"]
