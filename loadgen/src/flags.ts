import { type Tracer, trace } from '@opentelemetry/api';

// The three flags the load generator obeys, read over OFREP (HTTP) exactly as
// the original's k6 wrapper does, so the load generator needs no flagd SDK and
// keeps working (with defaults) while flagd restarts.

export const LOADGEN_FLAG = {
  traffic: 'loadGeneratorTraffic',
  vus: 'loadGeneratorVUs',
  floodHomepage: 'loadGeneratorFloodHomepage',
} as const;

export interface FlagSource {
  /** The flag's numeric value, or `fallback` when flagd is away or the flag is missing/not numeric. */
  number(key: string, fallback: number): Promise<number>;
}

export interface OfrepOptions {
  baseUrl: string;
  timeoutMs?: number;
  /** Values are reused this long, so 50 users do not ask flagd 50 times a second. */
  cacheMs?: number;
  tracer?: Tracer;
  fetchImpl?: (url: string, init: RequestInit) => Promise<Response>;
  now?: () => number;
}

export class OfrepFlags implements FlagSource {
  private readonly cache = new Map<string, { value: number | undefined; at: number }>();
  private readonly inflight = new Map<string, Promise<number | undefined>>();
  private readonly tracer: Tracer;
  private readonly now: () => number;
  lastError: string | undefined;
  private readonly options: OfrepOptions;

  constructor(options: OfrepOptions) {
    this.options = options;
    this.tracer = options.tracer ?? trace.getTracer('load-generator');
    this.now = options.now ?? Date.now;
  }

  async number(key: string, fallback: number): Promise<number> {
    const cached = this.cache.get(key);
    if (cached && this.now() - cached.at < (this.options.cacheMs ?? 2000)) return cached.value ?? fallback;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetchValue(key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const value = await pending;
    return value ?? fallback;
  }

  private fetchValue(key: string): Promise<number | undefined> {
    return this.tracer.startActiveSpan('feature_flag.evaluate', async (span) => {
      span.setAttribute('feature_flag.key', key);
      span.setAttribute('feature_flag.provider.name', 'ofrep');
      let value: number | undefined;
      try {
        const url = `${this.options.baseUrl.replace(/\/+$/, '')}/ofrep/v1/evaluate/flags/${encodeURIComponent(key)}`;
        const doFetch = this.options.fetchImpl ?? ((u: string, init: RequestInit) => fetch(u, init));
        const response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ context: {} }),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 2000),
        });
        const body = (await response.json().catch(() => ({}))) as { value?: unknown; variant?: string };
        // A missing flag (404) or a non-number means "use the default", as in the k6 wrapper.
        if (response.ok && typeof body.value === 'number' && Number.isFinite(body.value)) {
          value = body.value;
          if (body.variant) span.setAttribute('feature_flag.result.variant', body.variant);
          this.lastError = undefined;
        } else {
          this.lastError = `OFREP ${key}: HTTP ${response.status}`;
        }
      } catch (err) {
        this.lastError = `OFREP ${key}: ${(err as Error).message}`;
      } finally {
        span.end();
      }
      this.cache.set(key, { value, at: this.now() });
      return value;
    });
  }
}

/** Fixed values, for tests and for running without flagd. */
export class StaticFlags implements FlagSource {
  values: Record<string, number>;
  constructor(values: Record<string, number> = {}) {
    this.values = values;
  }
  async number(key: string, fallback: number): Promise<number> {
    return this.values[key] ?? fallback;
  }
}
