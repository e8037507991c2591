# One image recipe for every TypeScript deployable of the shop. The build
# context is a staging directory that scripts/image/build-images.sh assembles
# on the host (`make images`): app/ is the deployable's runtime tree from
# scripts/image/build-service.sh (production dependencies only), image/ holds
# the entrypoint and health check. Nothing is fetched inside the build, so it
# works without registry access (and without the host's CA trust).
#   scripts/image/build-images.sh cart      # stages and builds one image
# BASE_IMAGE: the official node image where it can be pulled, or the one
# scripts/image/base.sh builds from Debian packages plus the npm node binary.
ARG BASE_IMAGE=node:24.21.0-slim
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
