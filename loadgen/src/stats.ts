// Per-endpoint request statistics for the web UI, the JSON API and the CSV.
// Memory is bounded on purpose: the load generator runs for days, so response
// times go into rounded buckets (not a list), RPS into a fixed ring of seconds,
// failures into a capped list, and the chart history into a fixed ring.

/**
 * Rounds a response time so that the histogram keeps few distinct keys while
 * staying accurate where it matters: 1 ms steps below 100 ms, 10 ms below 1 s,
 * 100 ms above (the same idea as Locust's rounding).
 */
export function bucketOf(ms: number): number {
  const v = Math.max(0, ms);
  if (v < 100) return Math.round(v);
  if (v < 1000) return Math.round(v / 10) * 10;
  return Math.round(v / 100) * 100;
}

export class ResponseTimes {
  private readonly buckets = new Map<number, number>();
  private total = 0;
  private sum = 0;
  private max = 0;

  record(ms: number): void {
    const key = bucketOf(ms);
    this.buckets.set(key, (this.buckets.get(key) ?? 0) + 1);
    this.total += 1;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  get count(): number {
    return this.total;
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  get maximum(): number {
    return this.max;
  }

  /** Nearest-rank percentile (p in 0..1) over the rounded buckets; 0 when empty. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, p)) * this.total));
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const key of keys) {
      seen += this.buckets.get(key) ?? 0;
      if (seen >= rank) return key;
    }
    return keys.at(-1) ?? 0;
  }
}

/** Requests per second over the last `windowS` whole seconds (the current second is excluded: it is partial). */
export class SlidingRate {
  private readonly counts: number[];
  private readonly seconds: number[];

  private readonly windowS: number;

  constructor(windowS = 10) {
    this.windowS = windowS;
    this.counts = new Array(windowS + 1).fill(0);
    this.seconds = new Array(windowS + 1).fill(-1);
  }

  add(nowMs: number, n = 1): void {
    const sec = Math.floor(nowMs / 1000);
    const slot = sec % this.counts.length;
    if (this.seconds[slot] !== sec) {
      this.seconds[slot] = sec;
      this.counts[slot] = 0;
    }
    this.counts[slot] = (this.counts[slot] ?? 0) + n;
  }

  rate(nowMs: number): number {
    const current = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const sec = this.seconds[i] ?? -1;
      if (sec < current && sec >= current - this.windowS) sum += this.counts[i] ?? 0;
    }
    return sum / this.windowS;
  }
}

export interface EndpointRow {
  name: string;
  method: string;
  count: number;
  failures: number;
  medianMs: number;
  p95Ms: number;
  meanMs: number;
  maxMs: number;
  rps: number;
  failuresPerS: number;
}

class Endpoint {
  readonly times = new ResponseTimes();
  readonly requests: SlidingRate;
  readonly failed: SlidingRate;
  failures = 0;
  readonly method: string;
  readonly name: string;

  constructor(method: string, name: string, windowS: number) {
    this.method = method;
    this.name = name;
    this.requests = new SlidingRate(windowS);
    this.failed = new SlidingRate(windowS);
  }
}

const OVERFLOW_KEY = '\u0000overflow';

export interface FailureEntry {
  method: string;
  name: string;
  error: string;
  occurrences: number;
  lastAt: string;
}

export interface HistoryPoint {
  t: number;
  rps: number;
  failuresPerS: number;
  medianMs: number;
  p95Ms: number;
  users: number;
}

export interface StatsOptions {
  windowS?: number;
  maxFailureKinds?: number;
  historyPoints?: number;
  now?: () => number;
}

export class Stats {
  private endpoints = new Map<string, Endpoint>();
  private total: Endpoint;
  private failures = new Map<string, FailureEntry>();
  private history: HistoryPoint[] = [];
  private readonly windowS: number;
  private readonly maxFailureKinds: number;
  private readonly historyPoints: number;
  readonly now: () => number;
  startedAt: number;

  constructor(options: StatsOptions = {}) {
    this.windowS = options.windowS ?? 10;
    this.maxFailureKinds = options.maxFailureKinds ?? 200;
    this.historyPoints = options.historyPoints ?? 300;
    this.now = options.now ?? Date.now;
    this.total = new Endpoint('', 'Aggregated', this.windowS);
    this.startedAt = this.now();
  }

  /** One finished request. `error` set means it failed (status >= 400 or a network error). */
  record(method: string, name: string, ms: number, error?: string): void {
    const key = `${method} ${name}`;
    let ep = this.endpoints.get(key);
    if (!ep) {
      ep = new Endpoint(method, name, this.windowS);
      this.endpoints.set(key, ep);
    }
    const now = this.now();
    for (const target of [ep, this.total]) {
      target.times.record(ms);
      target.requests.add(now);
      if (error !== undefined) {
        target.failures += 1;
        target.failed.add(now);
      }
    }
    if (error !== undefined) this.recordFailure(method, name, error, now);
  }

  private recordFailure(method: string, name: string, error: string, now: number): void {
    const key = `${method} ${name} ${error}`;
    const existing = this.failures.get(key);
    if (existing) {
      existing.occurrences += 1;
      existing.lastAt = new Date(now).toISOString();
      return;
    }
    // New kinds beyond the cap are folded into one row, so a flood of distinct
    // messages (e.g. ids in error texts) cannot grow memory.
    if (this.failures.size >= this.maxFailureKinds) {
      const overflow = this.failures.get(OVERFLOW_KEY);
      if (overflow) {
        overflow.occurrences += 1;
        overflow.lastAt = new Date(now).toISOString();
      } else {
        this.failures.set(OVERFLOW_KEY, {
          method: '*',
          name: '*',
          error: 'other failures (too many distinct kinds)',
          occurrences: 1,
          lastAt: new Date(now).toISOString(),
        });
      }
      return;
    }
    this.failures.set(key, { method, name, error, occurrences: 1, lastAt: new Date(now).toISOString() });
  }

  private row(ep: Endpoint, now: number): EndpointRow {
    return {
      name: ep.name,
      method: ep.method,
      count: ep.times.count,
      failures: ep.failures,
      medianMs: ep.times.percentile(0.5),
      p95Ms: ep.times.percentile(0.95),
      meanMs: Math.round(ep.times.mean * 10) / 10,
      maxMs: Math.round(ep.times.maximum),
      rps: Math.round(ep.requests.rate(now) * 100) / 100,
      failuresPerS: Math.round(ep.failed.rate(now) * 100) / 100,
    };
  }

  rows(): EndpointRow[] {
    const now = this.now();
    return [...this.endpoints.values()]
      .map((ep) => this.row(ep, now))
      .sort((a, b) => a.name.localeCompare(b.name) || a.method.localeCompare(b.method));
  }

  aggregated(): EndpointRow {
    return this.row(this.total, this.now());
  }

  failureList(): FailureEntry[] {
    return [...this.failures.values()].sort((a, b) => b.occurrences - a.occurrences);
  }

  /** Appends one chart point (called on a timer); the ring keeps the last `historyPoints`. */
  snapshot(users: number): HistoryPoint {
    const agg = this.aggregated();
    const point = {
      t: this.now(),
      rps: agg.rps,
      failuresPerS: agg.failuresPerS,
      medianMs: agg.medianMs,
      p95Ms: agg.p95Ms,
      users,
    };
    this.history.push(point);
    if (this.history.length > this.historyPoints)
      this.history.splice(0, this.history.length - this.historyPoints);
    return point;
  }

  historyPointsList(): HistoryPoint[] {
    return [...this.history];
  }

  reset(): void {
    this.endpoints = new Map();
    this.total = new Endpoint('', 'Aggregated', this.windowS);
    this.failures = new Map();
    this.history = [];
    this.startedAt = this.now();
  }

  /** Locust-style stats CSV: one row per endpoint plus the aggregate. */
  toCsv(): string {
    const header = [
      'Type',
      'Name',
      'Request Count',
      'Failure Count',
      'Median Response Time',
      '95%',
      'Average Response Time',
      'Max Response Time',
      'Requests/s',
      'Failures/s',
    ];
    const line = (r: EndpointRow) =>
      [r.method, r.name, r.count, r.failures, r.medianMs, r.p95Ms, r.meanMs, r.maxMs, r.rps, r.failuresPerS]
        .map(csvField)
        .join(',');
    return `${[header.join(','), ...this.rows().map(line), line(this.aggregated())].join('\n')}\n`;
  }

  failuresCsv(): string {
    const rows = this.failureList().map((f) =>
      [f.method, f.name, f.error, f.occurrences, f.lastAt].map(csvField).join(','),
    );
    return `${['Method,Name,Error,Occurrences,Last', ...rows].join('\n')}\n`;
  }
}

/** Quotes a CSV field when needed (RFC 4180); also defuses spreadsheet formulas in error texts. */
export function csvField(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@]/.test(s) && typeof value === 'string') s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
