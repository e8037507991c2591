# PostgreSQL 15 from Debian's package (the one `make install` uses natively),
# behind an entrypoint with the official image's env/initdb.d contract.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/
RUN mkdir -p /var/lib/postgresql/data /docker-entrypoint-initdb.d && chown -R postgres:postgres /var/lib/postgresql
# The package's own user; its uid depends on install order, hence the name.
# hadolint ignore=DL3066
USER postgres
HEALTHCHECK --interval=5s --timeout=5s --start-period=10s --retries=10 CMD ["pg_isready", "-q", "-h", "127.0.0.1"]
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
