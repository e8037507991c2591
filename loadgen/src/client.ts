import { BAGGAGE } from '@astroshop/telemetry';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { LoadgenMetrics } from './metrics.ts';
import type { Stats } from './stats.ts';

/**
 * The baggage every request of a user carries, as the original load generator
 * sends it: checkout and payment mark synthetic traffic from it
 * (`user_agent.synthetic.type=test`, `demo.payment.charged=false`) and the ad
 * service targets flags by session.
 */
export function baggageHeader(sessionId: string): string {
  return `${BAGGAGE.syntheticRequest}=true,${BAGGAGE.sessionId}=${encodeURIComponent(sessionId)}`;
}

export interface ShopRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Path plus query, starting with `/`. */
  path: string;
  /** Name the stats group this request under (a route template such as `/api/products/[id]`). */
  name: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ShopResponse {
  status: number;
  ok: boolean;
  /** Parsed JSON when the response was JSON, else the text. */
  body: unknown;
  ms: number;
}

/** Thrown when the user was stopped mid-request: not a failure of the shop, so not counted. */
export class StoppedError extends Error {
  override name = 'StoppedError';
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ShopClientOptions {
  base: URL;
  stats: Stats;
  timeoutMs: number;
  metrics?: LoadgenMetrics;
  fetchImpl?: FetchLike;
}

/**
 * HTTP to the shop, one method for every task. Requests are made with the
 * global fetch (undici) inside the task's active span, so the telemetry
 * preload's undici instrumentation injects `traceparent` from that span; the
 * baggage is set here explicitly (it is not in the OTel context, so the
 * propagator adds no second baggage header).
 */
export class ShopClient {
  private readonly fetchImpl: FetchLike;
  private readonly options: ShopClientOptions;

  constructor(options: ShopClientOptions) {
    this.options = options;
    this.fetchImpl = options.fetchImpl ?? ((url, init) => fetch(url, init));
  }

  get base(): URL {
    return this.options.base;
  }

  async request(req: ShopRequest, sessionId: string, signal?: AbortSignal): Promise<ShopResponse> {
    const method = req.method ?? 'GET';
    const url = new URL(req.path, this.options.base);
    // Never follow a path that escapes the configured origin (e.g. `//other/`).
    if (url.origin !== this.options.base.origin) throw new Error(`refusing off-target URL ${url.href}`);
    const headers: Record<string, string> = {
      baggage: baggageHeader(sessionId),
      'user-agent': 'astroshop-loadgen',
      ...req.headers,
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const started = performance.now();
    let status = 0;
    let body: unknown;
    let error: string | undefined;
    try {
      const response = await this.fetchImpl(url.href, {
        method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: combined,
        redirect: 'follow',
      });
      status = response.status;
      // Reading the body to the end is part of the response time and frees the connection.
      const text = await response.text();
      body = parseBody(text, response.headers.get('content-type'));
      if (status >= 400) error = `HTTP ${status}${describeError(body)}`;
    } catch (err) {
      if (signal?.aborted) throw new StoppedError('user stopped');
      error = timeout.aborted ? `timeout after ${this.options.timeoutMs} ms` : networkError(err);
    }
    const ms = performance.now() - started;
    // The active span is the user task's: a failed request fails the task span.
    if (error !== undefined) trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: error });
    this.options.stats.record(method, req.name, ms, error);
    this.options.metrics?.request(
      method,
      req.name,
      ms,
      error === undefined ? undefined : status || 'network',
    );
    return { status, ok: error === undefined, body, ms };
  }
}

function parseBody(text: string, contentType: string | null): unknown {
  if (contentType?.includes('json') && text) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function describeError(body: unknown): string {
  const message =
    body && typeof body === 'object' && 'error' in body
      ? String((body as { error: unknown }).error)
      : typeof body === 'string'
        ? body
        : '';
  const clean = message.replace(/\s+/g, ' ').trim().slice(0, 160);
  return clean && !clean.startsWith('<') ? `: ${clean}` : '';
}

function networkError(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return `network error: ${e.cause?.code ?? e.cause?.message ?? e.message ?? String(err)}`;
}
