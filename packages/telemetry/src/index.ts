import { context, propagation, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { ATTR } from './names.ts';
import { activeSdk } from './state.ts';

export { shopBaggageSpanProcessor } from './baggage.ts';
export { connectInCallerContext } from './caller-context.ts';
export { OWN_SERVER_SPANS, traceUnaryHandler } from './grpc-server.ts';
export { ATTR, BAGGAGE, boundedLabel, METRIC } from './names.ts';
export { SHOP_VERSION } from './resource.ts';

/** True when the preload started an SDK in this process. */
export function telemetryEnabled(): boolean {
  return activeSdk() !== undefined;
}

/**
 * Flushes and stops every signal. Called by the service kit after in-flight
 * work has drained; bounded so a dead collector cannot hold up a shutdown.
 */
export async function shutdownTelemetry(timeoutMs = 5000): Promise<void> {
  const sdk = activeSdk();
  if (!sdk) return;
  await Promise.race([
    sdk.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]);
}

/**
 * Runs `fn` inside a new active span; a thrown error is recorded on the span
 * (status ERROR + exception event) and rethrown.
 */
export async function withSpan<T>(
  tracer: Tracer,
  name: string,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  return tracer.startActiveSpan(name, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed with the exception recorded, the way every service does it. */
export function recordError(span: Span | undefined, error: unknown): void {
  if (!span) return;
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
  span.setAttribute(ATTR.errorType, err.name === 'Error' ? err.constructor.name : err.name);
}

/** The value of a baggage entry on the current context, if present. */
export function baggageValue(key: string): string | undefined {
  return propagation.getBaggage(context.active())?.getEntry(key)?.value;
}

export function activeSpan(): Span | undefined {
  return trace.getActiveSpan();
}
export { maskCardNumber } from './redact.ts';
