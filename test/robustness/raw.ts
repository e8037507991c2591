// The raw-socket runner (node:net): writes exactly the bytes a case gives —
// malformed request lines, floods, smuggling attempts, resets — and reports
// every status line it got back and how the connection ended.
import { connect, type Socket } from 'node:net';

export type RawStep =
  | string
  | Buffer
  /** RST the connection (resetAndDestroy) and stop. */
  | { reset: true }
  /** Half-close (FIN) our side and keep reading. */
  | { end: true }
  | { waitMs: number }
  /** Write `chunk` every `everyMs` until the server closes or answers, or `forMs` passes. */
  | { trickle: string; everyMs: number; forMs: number };

export interface RawResult {
  statuses: number[];
  /** The server closed (FIN or RST) before we gave up. */
  closedByServer: boolean;
  /** We reset or gave up ourselves. */
  endedBy: 'server' | 'reset' | 'gave-up' | 'connect-error';
  error?: string;
  ms: number;
}

const STATUS_LINE = /HTTP\/\d(?:\.\d)? (\d{3})/g;

/**
 * Runs one case's steps on a fresh connection. After the last step it waits
 * for the server to close, up to `boundMs`; once a status line is in, it waits
 * only `lingerMs` more for pipelined answers.
 */
export function runRaw(
  host: string,
  port: number,
  steps: RawStep[],
  boundMs: number,
  lingerMs = 250,
): Promise<RawResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let data = '';
    let closed = false;
    let finished = false;
    const socket: Socket = connect({ host, port });
    socket.setNoDelay(true);
    const statuses = () => [...data.matchAll(STATUS_LINE)].map((m) => Number(m[1]));
    const finish = (endedBy: RawResult['endedBy'], error?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(bound);
      if (!socket.destroyed) socket.destroy();
      resolve({ statuses: statuses(), closedByServer: closed, endedBy, error, ms: Date.now() - started });
    };
    const bound = setTimeout(() => finish('gave-up'), boundMs);
    socket.on('data', (chunk) => {
      // Only the heads matter; keep memory flat when a server streams a big page.
      if (data.length < 1_000_000) data += chunk.toString('latin1');
    });
    socket.on('end', () => {
      closed = true;
      finish('server');
    });
    socket.on('close', () => {
      closed = true;
      finish('server');
    });
    socket.on('error', (error) => {
      // ECONNRESET from the server is a close, not a failure of the case.
      if (!finished && (error as NodeJS.ErrnoException).code === 'ECONNREFUSED')
        finish('connect-error', error.message);
    });
    socket.once('connect', async () => {
      try {
        for (const step of steps) {
          if (finished || closed) return;
          if (typeof step === 'string' || Buffer.isBuffer(step)) {
            await write(socket, step);
          } else if ('reset' in step) {
            socket.resetAndDestroy();
            finish('reset');
            return;
          } else if ('end' in step) {
            socket.end();
          } else if ('waitMs' in step) {
            await new Promise((r) => setTimeout(r, step.waitMs));
          } else {
            const until = Date.now() + step.forMs;
            while (!finished && !closed && statuses().length === 0 && Date.now() < until) {
              await write(socket, step.trickle);
              await new Promise((r) => setTimeout(r, step.everyMs));
            }
          }
        }
      } catch {
        // The server closed while we wrote: that is an answer too.
        return;
      }
      // Poll for an answer; linger briefly after the first status line for pipelined ones.
      const poll = setInterval(() => {
        if (finished) clearInterval(poll);
        else if (statuses().length > 0) {
          clearInterval(poll);
          setTimeout(() => finish('gave-up'), lingerMs);
        }
      }, 20);
    });
  });
}

function write(socket: Socket, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed || !socket.writable) return reject(new Error('socket closed'));
    socket.write(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk, (error) =>
      error ? reject(error) : resolve(),
    );
  });
}
