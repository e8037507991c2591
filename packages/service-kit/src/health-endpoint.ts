import { createServer } from 'node:http';
import type { Drainable } from './lifecycle.ts';

/**
 * A bare `GET /health` for processes with no server of their own (the Kafka
 * consumers), so orchestrators can probe them like every other component:
 * 200 while `ready()` holds, 503 otherwise.
 */
export async function startHealthEndpoint(options: {
  host: string;
  port: number;
  ready: () => boolean;
}): Promise<Drainable & { port: number }> {
  const server = createServer((request, response) => {
    const ok = request.url === '/health' && options.ready();
    response.writeHead(request.url === '/health' ? (ok ? 200 : 503) : 404, {
      'content-type': 'application/json',
    });
    response.end(JSON.stringify({ status: ok ? 'SERVING' : 'NOT_SERVING' }));
  });
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
