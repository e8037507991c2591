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
  let upstream: ReturnType<typeof request>;
  try {
    upstream = request(
      {
        host: target.host,
        port: target.port,
        path: target.path,
        method: req.method,
        headers,
        timeout: 15_000,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
  } catch (error) {
    // request() throws at once on a path or header it cannot send: the client's input.
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: `cannot forward this request: ${(error as Error).message}` }));
    return;
  }
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
