// Container health check without extra binaries: HTTP GET /health when
// HEALTH_URL is set (HTTP services), else a TCP connect to HEALTH_PORT (gRPC
// services answer grpc.health.v1 on that port; the orchestrator's gRPC probe
// checks the serving status), else exit 0 for listener-less consumers.
import net from 'node:net';

const url = process.env.HEALTH_URL;
const port = Number(process.env.HEALTH_PORT ?? 0);
const fail = (why) => {
  console.error(`unhealthy: ${why}`);
  process.exit(1);
};

if (url) {
  fetch(url, { signal: AbortSignal.timeout(4000) })
    .then((r) => (r.ok ? process.exit(0) : fail(`${url} answered ${r.status}`)))
    .catch((e) => fail(String(e)));
} else if (port) {
  const socket = net.connect({ port, host: '127.0.0.1', timeout: 4000 }, () => {
    socket.end();
    process.exit(0);
  });
  socket.on('error', (e) => fail(String(e)));
  socket.on('timeout', () => fail('timeout'));
} else {
  process.exit(0);
}
