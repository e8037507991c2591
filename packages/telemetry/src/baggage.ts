import { BaggageSpanProcessor } from '@opentelemetry/baggage-span-processor';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { BAGGAGE } from './names.ts';

/** Baggage entries copied onto every span as attributes of the same name (spec §10: ad, payment, frontend). */
const BAGGAGE_SPAN_ATTRIBUTES = new Set<string>([BAGGAGE.sessionId, BAGGAGE.enduserId]);

/**
 * The contrib baggage span processor limited to the shop's keys: the one place
 * session.id / enduser.id become span attributes (services do not copy them).
 * `synthetic_request` is not copied as is: the original maps it to other names
 * (user_agent.synthetic.type, demo.synthetic_request), which checkout, payment
 * and the frontend set themselves.
 */
export function shopBaggageSpanProcessor(): SpanProcessor {
  return new BaggageSpanProcessor((key) => BAGGAGE_SPAN_ATTRIBUTES.has(key));
}
