// Browser tracing as `frontend-web` (spec §4.4): document load, fetch and user
// interactions; W3C tracecontext + baggage on every same-origin API call;
// spans batched to the OTLP/HTTP endpoint the server put in window.ENV.

import { ATTR } from '@astroshop/telemetry/names';
import { type Context, propagation } from '@opentelemetry/api';
import { ZoneContextManager } from '@opentelemetry/context-zone';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
  WebTracerProvider,
} from '@opentelemetry/sdk-trace-web';
import { loadSession } from './session.ts';

/** Stamps every span with the visitor's session (read at span start: it may change). */
class SessionIdProcessor implements SpanProcessor {
  onStart(span: Span, _parent: Context): void {
    const { userId } = loadSession();
    span.setAttribute(ATTR.sessionId, userId);
    span.setAttribute(ATTR.enduserId, userId);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The endpoint from window.ENV. An absolute loopback URL (the .env default
 * http://localhost:8080/...) is taken as "this origin" when the page itself is
 * on a loopback host, so 127.0.0.1 and localhost do not turn into CORS calls.
 */
export function exporterUrl(configured: string | undefined, location: Location): string {
  const fallback = '/otlp-http/v1/traces';
  const raw = configured?.trim() || fallback;
  const loopback = /^(localhost|127\.0\.0\.1|\[::1\])$/;
  try {
    const url = new URL(raw, location.href);
    if (url.origin !== location.origin && loopback.test(url.hostname) && loopback.test(location.hostname)) {
      return `${location.origin}${url.pathname}`;
    }
    return url.href;
  } catch {
    return new URL(fallback, location.href).href;
  }
}

let started = false;

export function startTracer(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  const env = window.ENV;
  const synthetic = env?.IS_SYNTHETIC_REQUEST === 'true' ? 'true' : 'false';
  const url = exporterUrl(env?.NEXT_PUBLIC_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, window.location);

  const provider = new WebTracerProvider({
    resource: resourceFromAttributes({
      'service.name': env?.NEXT_PUBLIC_OTEL_SERVICE_NAME || 'frontend-web',
      'service.namespace': 'opentelemetry-demo',
      'browser.platform': navigator.platform,
      'user_agent.original': navigator.userAgent,
    }),
    spanProcessors: [
      new SessionIdProcessor(),
      new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 500 }),
    ],
  });
  provider.register({
    contextManager: new ZoneContextManager(),
    propagator: new CompositePropagator({
      propagators: [new W3CBaggagePropagator(), new W3CTraceContextPropagator()],
    }),
  });

  const exporterPath = new URL(url).pathname;
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new DocumentLoadInstrumentation(),
      new FetchInstrumentation({
        propagateTraceHeaderCorsUrls: /.*/,
        clearTimingResources: true,
        ignoreUrls: [new RegExp(`${exporterPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)],
        applyCustomAttributesOnSpan(span) {
          span.setAttribute(ATTR.syntheticRequest, synthetic);
        },
      }),
      new UserInteractionInstrumentation({ eventNames: ['click', 'submit', 'change'] }),
    ],
  });
  // Flush what is queued when the tab goes away.
  window.addEventListener('pagehide', () => void provider.forceFlush());
  void propagation;
}
