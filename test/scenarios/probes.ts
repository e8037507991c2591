import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { type FoundSpan, findSpans, promQuery } from '../lib/backends.ts';
import { REPO_ROOT } from './flagfile.ts';

/** Sum of an instant PromQL query's samples; undefined when it has none. */
export async function promValue(query: string): Promise<number | undefined> {
  const samples = await promQuery(query);
  if (samples.length === 0) return undefined;
  const sum = samples.reduce((acc, s) => acc + s.value, 0);
  return Number.isFinite(sum) ? sum : undefined;
}

/** Spans of `service` whose name ends with `suffix`, started since `since`. */
export async function spansOf(service: string, suffix: string, since: Date): Promise<FoundSpan[]> {
  const spans = await findSpans(service, { since });
  return spans.filter((s) => s.service === service && s.name.endsWith(suffix));
}

export const isError = (s: FoundSpan) => s.status.code === 2 || String(s.status.code) === 'STATUS_CODE_ERROR';

/**
 * grpc.health.v1.Health/Check with hand-encoded protobuf (request: empty
 * message = all services; response field 1 = status enum), so the verifier
 * needs no generated health stubs. 1 = SERVING, 2 = NOT_SERVING.
 */
export function grpcHealth(address: string, timeoutMs = 3000): Promise<number> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise<number>((resolve, reject) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (arg: Buffer) => arg,
      (buf: Buffer) => buf,
      Buffer.alloc(0),
      new grpc.Metadata(),
      { deadline: Date.now() + timeoutMs },
      (error, value) => {
        client.close();
        if (error) return reject(error);
        const buf = value ?? Buffer.alloc(0);
        // Field 1, varint: tag 0x08 then the value; an empty message means UNKNOWN (0).
        resolve(buf.length >= 2 && buf[0] === 0x08 ? (buf[1] ?? 0) : 0);
      },
    );
  });
}

/** A component's log file under the run dir; reads only what was appended after `mark()`. */
export function logTail(name: string) {
  const file = join(process.env.ASTROSHOP_RUN_DIR ?? join(REPO_ROOT, '.run'), 'logs', `${name}.log`);
  const size = () => (existsSync(file) ? statSync(file).size : 0);
  let offset = size();
  return {
    file,
    mark: () => {
      offset = size();
    },
    /** Text appended since the mark, at most 8 MiB (bounded read). */
    read: (): string => {
      const end = size();
      if (end <= offset) return '';
      const length = Math.min(end - offset, 8 * 1024 * 1024);
      const buf = Buffer.alloc(length);
      const fd = openSync(file, 'r');
      try {
        readSync(fd, buf, 0, length, offset);
      } finally {
        closeSync(fd);
      }
      return buf.toString('utf8');
    },
  };
}
