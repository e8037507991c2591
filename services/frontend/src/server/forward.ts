// The direct mode: when a browser talks to the frontend's own port (no
// frontend-proxy in front), /otlp-http/* and /images/* are forwarded the way
// the proxy routes them, so the shop still works and still exports traces.
import { type IncomingMessage, request, type ServerResponse } from 'node:http';

export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: { host: string; port: number; path: string },
): void {
  const headers = { ...req.headers, host: `${target.host}:${target.port}` };
  const upstream = request(
    { host: target.host, port: target.port, path: target.path, method: req.method, headers, timeout: 15_000 },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('timeout', () => upstream.destroy(new Error('upstream timed out')));
  upstream.on('error', (error) => {
    if (res.headersSent) {
      res.destroy(error);
      return;
    }
    const body = JSON.stringify({ error: `${target.host}:${target.port} unavailable: ${error.message}` });
    res.writeHead(502, { 'content-type': 'application/json' }).end(body);
  });
  req.pipe(upstream);
}
