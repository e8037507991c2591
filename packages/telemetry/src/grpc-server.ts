// The server span of a unary gRPC call, made by the server itself instead of by
// @opentelemetry/instrumentation-grpc's patch of grpc-js (issue 17: the patch's
// per-call work was the largest telemetry cost of a small call). Same span as the
// instrumentation's: name `grpc.<service>/<method>`, kind SERVER, rpc.system,
// rpc.service, rpc.method, rpc.grpc.status_code, and on a failure grpc.error_name,
// grpc.error_message and status ERROR; the caller's context comes from the
// metadata (traceparent, tracestate, baggage). The client side stays with the
// instrumentation.
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { activeSdk } from './state.ts';

/**
 * Set (true) on a grpc-js Server whose unary handlers go through
 * `traceUnaryHandler`; the shop's gRPC instrumentation leaves that server's
 * handlers alone, so a call gets one server span, not two. A global symbol:
 * the preload and the application load this package through different specifiers.
 */
export const OWN_SERVER_SPANS = Symbol.for('astroshop.grpc.ownServerSpans');

/** What the span needs of grpc-js's Metadata (kept structural: no grpc-js dependency here). */
interface Metadata {
  get(key: string): unknown[];
  getMap(): Record<string, unknown>;
}

interface ServiceError {
  code?: number;
  name?: string;
  message?: string;
}

type UnaryHandler<C, R> = (call: C, callback: (error: ServiceError | null, value?: R | null) => void) => void;

const metadataGetter: TextMapGetter<Metadata> = {
  get: (carrier, key) => carrier.get(key).map(String),
  keys: (carrier) => Object.keys(carrier.getMap()),
};

// The instrumentation's scope, so queries and views that select its spans still do.
const SCOPE = '@opentelemetry/instrumentation-grpc';
const SCOPE_VERSION = '0.300.0';

/**
 * `handler` for the unary method at `path` (`/pkg.Service/Method`), wrapped in
 * its server span; `handler` itself when no SDK runs in this process (the
 * telemetry-off baseline pays nothing).
 */
export function traceUnaryHandler<C extends { metadata: Metadata }, R>(
  path: string,
  handler: UnaryHandler<C, R>,
): UnaryHandler<C, R> {
  if (activeSdk() === undefined) return handler;
  const [service = '', ...rest] = path.replace(/^\//, '').split('/');
  const name = `grpc.${path.replace('/', '')}`;
  // Per method, not per call: the static attributes and the tracer.
  const attributes = { 'rpc.system': 'grpc', 'rpc.method': rest.join('/'), 'rpc.service': service };
  let tracer: Tracer | undefined;
  return (call, callback) => {
    tracer ??= trace.getTracer(SCOPE, SCOPE_VERSION);
    const parent: Context = propagation.extract(ROOT_CONTEXT, call.metadata, metadataGetter);
    const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    const done: Parameters<UnaryHandler<C, R>>[1] = (error, value) => {
      endServerSpan(span, error);
      callback(error, value);
    };
    context.with(trace.setSpan(parent, span), () => handler(call, done));
  };
}

/** The instrumentation's ending of a unary server span (serverUtils.ts, clientStreamAndUnaryHandler). */
function endServerSpan(span: Span, error: ServiceError | null): void {
  if (error) {
    if (error.code) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      span.setAttribute('rpc.grpc.status_code', error.code);
    }
    span.setAttributes({ 'grpc.error_name': error.name, 'grpc.error_message': error.message });
  } else {
    span.setAttribute('rpc.grpc.status_code', 0);
  }
  span.end();
}
