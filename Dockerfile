# syntax=docker/dockerfile:1.7
# One image recipe for every TypeScript deployable of the shop:
#   docker build --build-arg SERVICE=cart -t astroshop/cart .
# The build stage runs scripts/image/build-service.sh (the same script `make
# test` exercises), so the image holds production dependencies only.
ARG NODE_VERSION=24.21.0

FROM node:${NODE_VERSION}-slim AS build
ARG SERVICE
ARG PNPM_VERSION=10.34.8
RUN npm install -g "pnpm@${PNPM_VERSION}"
WORKDIR /src
COPY . .
RUN test -n "${SERVICE}" && scripts/image/build-service.sh "${SERVICE}" /app

FROM node:${NODE_VERSION}-slim AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE_DIR=services/${SERVICE} \
    LISTEN_HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app /app
COPY --chown=node:node scripts/image/entrypoint.sh scripts/image/healthcheck.mjs /usr/local/bin/
# Non-root, and nothing under /app is written at run time, so the container
# runs with a read-only root filesystem (only /tmp needs to be writable).
USER 1000:1000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "/usr/local/bin/healthcheck.mjs"]
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
