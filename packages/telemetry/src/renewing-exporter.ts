import { type ExportResult, ExportResultCode } from '@opentelemetry/core';

/** The part of an OTLP exporter (spans, logs or metrics) the SDK's processors call. */
export interface Exporter<T> {
  export(items: T, resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/**
 * Replaces its OTLP gRPC exporter after a failed export, at most once per
 * `minGapMs`. Why: grpc-js backs off reconnecting (1.6× per failure, up to
 * 120 s) and the exporters take no channel options, so after a 30 s collector
 * outage a process exported again only at its next backoff step — 12 s after
 * the collector was back, measured (make faults). A fresh exporter with a
 * distinct user agent gets its own subchannel from grpc-js's global pool (the
 * pool keys subchannels by channel options), which connects at once.
 * `create(n)` must pass `userAgent` with `n` in it.
 */
export class RenewingExporter<T> implements Exporter<T> {
  private inner: Exporter<T>;
  private readonly create: (generation: number) => Exporter<T>;
  private readonly minGapMs: number;
  private generation = 0;
  private renewedAt = 0;

  constructor(create: (generation: number) => Exporter<T>, minGapMs = 2000) {
    this.create = create;
    this.minGapMs = minGapMs;
    this.inner = create(0);
  }

  /** The exporter in use (metric readers ask it for temporality and aggregation). */
  get current(): Exporter<T> {
    return this.inner;
  }

  export(items: T, resultCallback: (result: ExportResult) => void): void {
    const used = this.inner;
    used.export(items, (result) => {
      if (result.code !== ExportResultCode.SUCCESS && used === this.inner) this.renew();
      resultCallback(result);
    });
  }

  private renew(): void {
    const now = Date.now();
    if (now - this.renewedAt < this.minGapMs) return;
    this.renewedAt = now;
    const old = this.inner;
    this.inner = this.create(++this.generation);
    void old.shutdown().catch(() => undefined);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
