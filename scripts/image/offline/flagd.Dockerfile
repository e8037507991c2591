# Our flagd-compatible flag server (scripts/devstack/src/flagd-server.ts, what
# the native stack runs: gRPC evaluation, OFREP, /healthz, /readyz) on the node
# base, with its production dependencies assembled on the host.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
ENV NODE_ENV=production FLAGD_BIND=0.0.0.0
WORKDIR /app
COPY app/ /app/
USER 1000:1000
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=10 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.FLAGD_MANAGEMENT_PORT||8014)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "--max-old-space-size=64", "scripts/devstack/src/flagd-server.ts"]
CMD ["--uri", "file:/etc/flagd/demo.flagd.json"]
