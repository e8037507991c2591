# One image recipe for every TypeScript deployable of the shop. The build
# context is a staging directory that scripts/image/build-images.sh assembles
# on the host (`make images`): app/ is the deployable's runtime tree from
# scripts/image/build-service.sh (its bundle and only the packages the bundle
# keeps external, or, for the frontend, its sources with production
# dependencies), image/ holds the entrypoint and health check. Nothing is
# fetched inside the build, so it works without registry access.
#   scripts/image/build-images.sh cart      # stages and builds one image
# BASE_IMAGE: scripts/image/base.sh node-runtime (node, the libraries it links
# and bash, from Debian packages: 117 MB against node:24-slim's ~200 MB); any
# image with node and bash works (e.g. the official node:<version>-slim).
ARG BASE_IMAGE=astroshop-base/node-runtime:24.21.0-bookworm
FROM ${BASE_IMAGE}
ARG SERVICE_DIR
ENV NODE_ENV=production \
    SERVICE_DIR=${SERVICE_DIR} \
    LISTEN_HOST=0.0.0.0
WORKDIR /app
# Owned by root and only readable by the service user: the process cannot
# change its own code, and nothing under /app is written at run time, so the
# container runs with a read-only root filesystem (only /tmp is writable).
COPY app/ /app/
COPY image/entrypoint.sh image/healthcheck.sh /usr/local/bin/
USER 1000:1000
# A long start period costs nothing when the service is quick (the first pass
# makes it healthy) and keeps a loaded machine's slow start from counting.
HEALTHCHECK --interval=10s --timeout=10s --start-period=180s --retries=5 \
  CMD ["/usr/local/bin/healthcheck.sh"]
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
