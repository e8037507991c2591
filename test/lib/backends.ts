// Queries against the real backends the stack tests assert on. Addresses are
// the native mode's (overridable for a remote stack).

export const JAEGER_URL = process.env.JAEGER_URL ?? 'http://127.0.0.1:16686/jaeger/ui';
export const PROMETHEUS_URL = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

/** `eventually` for a synchronous condition (supervisor state, a file on disk). */
export async function until(
  what: string,
  predicate: () => boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<void> {
  await eventually(what, async () => (predicate() ? true : undefined), timeoutMs, intervalMs);
}

/** A span as returned by Jaeger's API v3 (OTLP JSON), flattened. */
export interface FoundSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string;
  kind: number;
  status: { code?: number; message?: string };
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
}

type OtlpValue = {
  stringValue?: string;
  intValue?: string;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values: OtlpValue[] };
};
type OtlpAttr = { key: string; value: OtlpValue };

function attrValue(v: OtlpValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return v.arrayValue.values.map(attrValue);
  return undefined;
}

const attrs = (list: OtlpAttr[] = []) => Object.fromEntries(list.map((a) => [a.key, attrValue(a.value)]));

function hexId(id: string): string {
  // API v3 JSON may carry ids as hex or base64 depending on version.
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

function flatten(body: unknown): FoundSpan[] {
  const spans: FoundSpan[] = [];
  const result = (body as { result?: { resourceSpans?: unknown[] } }).result;
  for (const rs of (result?.resourceSpans ?? []) as {
    resource?: { attributes?: OtlpAttr[] };
    scopeSpans?: { spans?: Record<string, unknown>[] }[];
  }[]) {
    const service = String(attrs(rs.resource?.attributes)['service.name'] ?? '');
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        spans.push({
          traceId: hexId(String(s.traceId ?? '')),
          spanId: hexId(String(s.spanId ?? '')),
          parentSpanId: s.parentSpanId ? hexId(String(s.parentSpanId)) : '',
          name: String(s.name),
          service,
          kind: Number(s.kind ?? 0),
          status: (s.status ?? {}) as FoundSpan['status'],
          attributes: attrs(s.attributes as OtlpAttr[]),
          events: ((s.events ?? []) as { name: string; attributes?: OtlpAttr[] }[]).map((e) => ({
            name: e.name,
            attributes: attrs(e.attributes),
          })),
        });
      }
    }
  }
  return spans;
}

/** Every span of one trace. */
export async function getTrace(traceId: string): Promise<FoundSpan[]> {
  const response = await fetch(`${JAEGER_URL}/api/v3/traces/${traceId}`);
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`jaeger ${response.status}: ${await response.text()}`);
  return flatten(await response.json());
}

/** Spans of traces of `service` (optionally one operation) since `since`. */
export async function findSpans(
  service: string,
  options: { operation?: string; since: Date },
): Promise<FoundSpan[]> {
  const params = new URLSearchParams({
    'query.service_name': service,
    'query.start_time_min': options.since.toISOString(),
    'query.start_time_max': new Date(Date.now() + 60_000).toISOString(),
    'query.num_traces': '100',
  });
  if (options.operation) params.set('query.operation_name', options.operation);
  const response = await fetch(`${JAEGER_URL}/api/v3/traces?${params}`);
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`jaeger ${response.status}: ${await response.text()}`);
  return flatten(await response.json());
}

/** Waits until Jaeger holds a trace with a span matching `predicate`; returns the whole trace. */
export async function waitForTrace(
  service: string,
  since: Date,
  predicate: (span: FoundSpan) => boolean,
  timeoutMs = 60_000,
): Promise<FoundSpan[]> {
  const hit = await eventually(
    `a ${service} span in Jaeger`,
    async () => {
      const spans = await findSpans(service, { since });
      return spans.find(predicate);
    },
    timeoutMs,
    2000,
  );
  return getTrace(hit.traceId);
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export async function promQuery(query: string): Promise<PromSample[]> {
  const response = await fetch(`${PROMETHEUS_URL}/api/v1/query?${new URLSearchParams({ query })}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(`prometheus: ${body.error ?? response.status}`);
  return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** Waits until `query` returns at least one series (optionally matching `accept`). */
export async function waitForSeries(
  query: string,
  accept: (samples: PromSample[]) => boolean = (s) => s.length > 0,
  timeoutMs = 90_000,
): Promise<PromSample[]> {
  return eventually(
    `prometheus series for ${query}`,
    async () => {
      const samples = await promQuery(query);
      return accept(samples) ? samples : undefined;
    },
    timeoutMs,
    3000,
  );
}
