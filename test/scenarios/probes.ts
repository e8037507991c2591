import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { type FoundSpan, JAEGER_URL, promQuery } from '../lib/backends.ts';
import { REPO_ROOT } from './flagfile.ts';

/** Sum of an instant PromQL query's samples; undefined when it has none. */
export async function promValue(query: string): Promise<number | undefined> {
  const samples = await promQuery(query);
  if (samples.length === 0) return undefined;
  const sum = samples.reduce((acc, s) => acc + s.value, 0);
  return Number.isFinite(sum) ? sum : undefined;
}

/** Like promValue, but missing data is an error naming the query: a check never reads absence as 0. */
export async function promRequired(query: string): Promise<number> {
  const value = await promValue(query);
  if (value === undefined) throw new Error(`no samples for ${query}`);
  return value;
}

/** Whether Prometheus has alert `name` in state firing (its ALERTS series). */
export async function alertFiring(name: string): Promise<boolean> {
  const samples = await promQuery(`ALERTS{alertname="${name}", alertstate="firing"}`);
  return samples.length > 0;
}

type OtlpValue = { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number };
const otlpValue = (v: OtlpValue) =>
  v.stringValue ??
  (v.intValue !== undefined ? Number(v.intValue) : undefined) ??
  v.boolValue ??
  v.doubleValue;
const attrsOf = (list: { key: string; value: OtlpValue }[] = []) =>
  Object.fromEntries(list.map((a) => [a.key, otlpValue(a.value)]));

/**
 * Spans of `service` whose name ends with `suffix`, from traces since `since`.
 * Queries Jaeger's API v3 with `query.num_traces` (this Jaeger rejects the
 * `query.search_depth` that backends.ts sends), newest 100 traces.
 */
export async function spansOf(service: string, suffix: string, since: Date): Promise<FoundSpan[]> {
  const params = new URLSearchParams({
    'query.service_name': service,
    'query.start_time_min': since.toISOString(),
    'query.start_time_max': new Date(Date.now() + 60_000).toISOString(),
    'query.num_traces': '100',
  });
  const response = await fetch(`${JAEGER_URL}/api/v3/traces?${params}`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`jaeger ${response.status}: ${(await response.text()).slice(0, 200)}`);
  const body = (await response.json()) as {
    result?: {
      resourceSpans?: {
        resource?: { attributes?: { key: string; value: OtlpValue }[] };
        scopeSpans?: { spans?: Record<string, unknown>[] }[];
      }[];
    };
  };
  const out: FoundSpan[] = [];
  for (const rs of body.result?.resourceSpans ?? []) {
    const svcName = String(attrsOf(rs.resource?.attributes)['service.name'] ?? '');
    if (svcName !== service) continue;
    for (const ss of rs.scopeSpans ?? []) {
      for (const sp of ss.spans ?? []) {
        const name = String(sp.name);
        if (!name.endsWith(suffix)) continue;
        out.push({
          traceId: String(sp.traceId),
          spanId: String(sp.spanId),
          parentSpanId: String(sp.parentSpanId ?? ''),
          name,
          service: svcName,
          kind: Number(sp.kind ?? 0),
          status: (sp.status ?? {}) as FoundSpan['status'],
          attributes: attrsOf(sp.attributes as { key: string; value: OtlpValue }[]),
          events: [],
        });
      }
    }
  }
  return out;
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
