// One HTTP request with a bound, reporting the status or why there was none.
// The path is sent as given (percent-escapes untouched) so encoding tricks reach
// the server; node's client refuses only raw spaces/control characters, which
// are escaped here (the raw-socket suite sends those unescaped).
import { request } from 'node:http';

export interface HttpInput {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface HttpOutcome {
  status: number | null;
  /** Set when there was no status: connection refused/reset, timeout. */
  error?: string;
  /** The input could not even be sent (node's client refused it): not an input at all. */
  unsent?: boolean;
  body?: string;
  ms: number;
}

/** Escapes only what node:http refuses in a request path (so '%', '%00', '..' stay as they are). */
export function sendablePath(path: string): string {
  let out = '';
  for (const c of path) {
    const code = c.codePointAt(0) ?? 0;
    out +=
      code <= 0x20 || code >= 0x7f
        ? encodeURIComponent(c === '\uFFFD' || (code >= 0xd800 && code < 0xe000) ? '\uFFFD' : c)
        : c;
  }
  return out;
}

export function httpCall(
  host: string,
  port: number,
  input: HttpInput,
  timeoutMs: number,
): Promise<HttpOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Omit<HttpOutcome, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...outcome, ms: Date.now() - started });
    };
    const body = input.body === undefined ? undefined : Buffer.from(input.body);
    const headers: Record<string, string | number> = { connection: 'close', ...input.headers };
    if (body) headers['content-length'] = body.length;
    let req: ReturnType<typeof request>;
    try {
      req = request({ host, port, method: input.method, path: sendablePath(input.path), headers }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          // Keep only the start: enough to quote an error message.
          if (size < 2048) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          done({
            status: res.statusCode ?? null,
            body: Buffer.concat(chunks).toString('utf8').slice(0, 2048),
          }),
        );
        res.on('error', () => done({ status: res.statusCode ?? null }));
      });
    } catch (error) {
      done({ status: null, unsent: true, error: `not sendable: ${(error as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      req.destroy();
      done({ status: null, error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error) => done({ status: null, error: error.message }));
    req.end(body);
  });
}
