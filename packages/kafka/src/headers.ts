import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

/** Kafka header values arrive as Buffers (or arrays of them); propagators want strings. */
export const headerGetter: TextMapGetter<IHeaders | undefined> = {
  keys: (carrier) => Object.keys(carrier ?? {}),
  get: (carrier, key) => {
    const value = carrier?.[key];
    if (value === undefined) return undefined;
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** The producer's trace context (W3C traceparent + baggage) carried in the record headers. */
export function contextFromHeaders(headers: IHeaders | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}

/**
 * The parent for work done on a consumed record. The kafkajs instrumentation
 * normally runs the handler inside its `process` span, itself a child of the
 * producer; without it (telemetry off or not loaded) the headers still carry
 * the producer's context, so the trace stays connected either way.
 */
export function consumerParentContext(headers: IHeaders | undefined): Context {
  const active = context.active();
  return trace.getSpan(active) ? active : contextFromHeaders(headers);
}

/** Headers carrying the current trace context, for a producer. */
export function headersFromContext(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}
