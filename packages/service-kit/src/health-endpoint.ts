import { createServer } from 'node:http';
import { guardHttpServer } from './guard.ts';
import type { Drainable } from './lifecycle.ts';
import { createLogger, type Logger } from './logger.ts';

const READINESS_PATHS = new Set(['/health', '/readyz']);

/**
 * Probes for processes with no server of their own (the Kafka consumers), so
 * orchestrators can probe them like every other component: `GET /livez` is
 * 200 while the process answers; `GET /health` (alias `/readyz`) is 200 while
 * `ready()` holds, 503 otherwise.
 */
export async function startHealthEndpoint(options: {
  host: string;
  port: number;
  ready: () => boolean;
  logger?: Logger;
}): Promise<Drainable & { port: number }> {
  const server = createServer((request, response) => {
    // Only the path decides; a query string (or garbage) after it changes nothing.
    const path = (request.url ?? '').split('?')[0] ?? '';
    let status = 404;
    let serving = false;
    if (path === '/livez') {
      status = 200;
      serving = true;
    } else if (READINESS_PATHS.has(path)) {
      serving = options.ready();
      status = serving ? 200 : 503;
    }
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(
      status === 404
        ? JSON.stringify({ error: 'probes: GET /livez, /health, /readyz' })
        : JSON.stringify({ status: serving ? 'SERVING' : 'NOT_SERVING' }),
    );
  });
  guardHttpServer(server, options.logger ?? createLogger());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
