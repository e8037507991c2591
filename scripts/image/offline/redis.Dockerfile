# Redis from Debian's redis-server package (what the native stack runs).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
# The package's own user; its uid depends on install order, hence the name.
# hadolint ignore=DL3066
USER redis
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=10 CMD ["redis-cli", "ping"]
ENTRYPOINT ["redis-server"]
CMD ["--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir", "/tmp"]
